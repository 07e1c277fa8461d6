// CVision: a small C interface over the parts of OpenCV 4.6 that moosic uses.
// Every entry point catches all C++ exceptions and reports them as a status plus a message,
// so no OpenCV error can cross into Swift or reach stderr.
#ifndef CVISION_H
#define CVISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CVISION_OK = 0,
    CVISION_FILE_MISSING = 1,   // no such file
    CVISION_UNREADABLE = 2,     // exists but cannot be read (permissions, a directory, I/O error)
    CVISION_CORRUPT = 3,        // empty, truncated, not an image, or a format OpenCV cannot decode
    CVISION_TOO_LARGE = 4,      // more pixels than the caller allows
    CVISION_INTERNAL = 5        // anything else OpenCV threw
} cvision_status;

// A decoded image, owned by CVision. Free it with cvision_image_free.
typedef struct cvision_image cvision_image;

// Decodes an image file (JPEG, PNG, BMP, WebP, TIFF; grey, colour or with alpha) with its EXIF
// orientation applied. Images with more than max_pixels pixels are refused before decoding.
// On failure *out is NULL and message (if given) holds one line describing the problem.
cvision_status cvision_image_load(const char *path, int64_t max_pixels, cvision_image **out,
                                  char *message, size_t message_size);

int cvision_image_width(const cvision_image *image);
int cvision_image_height(const cvision_image *image);
// The number of channels in the file as decoded (1 grey, 3 colour, 4 with alpha).
int cvision_image_source_channels(const cvision_image *image);
void cvision_image_free(cvision_image *image);

// Silences OpenCV's own logging (it would otherwise print to stderr). Idempotent.
void cvision_silence_logging(void);

#ifdef __cplusplus
}
#endif

#endif
