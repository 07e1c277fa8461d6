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
    CVISION_INTERNAL = 5,       // anything else OpenCV threw
    CVISION_NO_FACE = 6,        // the photo decoded but no face was found in it
    CVISION_WRITE_FAILED = 7    // the annotated copy could not be written
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

// --- Face mood: Haar face detection + the face-mood network (ONNX, OpenCV dnn) ---

// How photos become network inputs; they must match how the network was trained (Models/face_mood.md).
typedef struct {
    int input_size;              // S: the network takes [1,1,S,S] float grey values 0..255
    int crop_size;               // the face is first made a crop_size² grey crop (FER2013: 48), then S² (INTER_LINEAR)
    double crop_scale;           // side of the square face crop / side of the detected face box
    double crop_shift;           // the crop's centre moves down by this fraction of the box side
    int detect_max_side;         // photos are downscaled so their long side is at most this for detection
    double detect_border;        // border added around the photo for detection, as a fraction of its long side
    int detect_min_neighbors;    // Haar detectMultiScale minNeighbors
    double detect_min_face;      // smallest face searched first, as a fraction of the photo's short side
    double detect_min_face_retry;  // smaller faces, searched only when the first search finds none
    double band_neutral_from;    // the annotated copy names the band the score lies in: sad below this,
    double band_happy_from;      // neutral below this, happy from it (MoodBand's edges, passed in by moosic)
} cvision_mood_settings;

typedef struct {
    double score;                // the network's output, the mood score P(happy) + ½ P(neutral)
    int has_probabilities;       // 1 when the network also gives its `probabilities` output (models from v2 on)
    double probabilities[3];     // P(happy), P(neutral), P(sad): the calibrated softmax the score is made of
    int faces_found;             // faces detected (1 for an aligned crop)
    int face_x, face_y, face_w, face_h;  // the face used (the largest), in pixels of the oriented photo
    double forward_ms;           // the network's forward pass alone
} cvision_mood_result;

typedef struct cvision_mood_model cvision_mood_model;

// The band a score lies in by the settings' band edges, as the annotated copy names it: "sad", "neutral" or "happy".
const char *cvision_mood_band(const cvision_mood_settings *settings, double score);

// Loads the network (ONNX) and the Haar cascade (XML) once; free with cvision_mood_model_free.
// A missing, unreadable or corrupt file gives CVISION_FILE_MISSING, CVISION_UNREADABLE or
// CVISION_CORRUPT with a one-line message naming which file.
cvision_status cvision_mood_model_load(const char *onnx_path, const char *cascade_path,
                                       const cvision_mood_settings *settings, cvision_mood_model **out,
                                       char *message, size_t message_size);
void cvision_mood_model_free(cvision_mood_model *model);

// Reads the mood of the largest face in a photo (or of the whole image when aligned is non-zero:
// it is already a face crop). With annotate_path (JPEG or PNG by its extension), also writes a
// copy of the photo with the face box, the band (cvision_mood_band) and the score drawn on it. Not thread-safe for one model.
cvision_status cvision_read_mood(cvision_mood_model *model, const char *photo_path, int64_t max_pixels,
                                 int aligned, const char *annotate_path, cvision_mood_result *result,
                                 char *message, size_t message_size);
// The same for a photo file's bytes in memory (the page's camera frames and uploads): the same
// checks, limits and messages, without a file.
cvision_status cvision_read_mood_bytes(cvision_mood_model *model, const unsigned char *bytes, size_t size,
                                       int64_t max_pixels, int aligned, const char *annotate_path,
                                       cvision_mood_result *result, char *message, size_t message_size);

// Writes an 8-bit RGB image (height rows of width*3 bytes) as a baseline JPEG file of the given
// quality (1-100): moosic's generated playlist covers. CVISION_WRITE_FAILED when the file cannot be
// written, CVISION_CORRUPT for impossible dimensions.
cvision_status cvision_write_jpeg(const uint8_t *rgb, int width, int height, int quality, const char *path,
                                  char *message, size_t message_size);

// Silences OpenCV's own logging (it would otherwise print to stderr). Idempotent.
void cvision_silence_logging(void);

#ifdef __cplusplus
}
#endif

#endif
