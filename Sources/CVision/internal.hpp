// Helpers shared by CVision's translation units; not part of the C interface.
#pragma once
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "CVision.h"

namespace cvision {

// Copies text into a caller-supplied buffer, always NUL-terminated, never overflowing.
inline void set_message(char *buffer, size_t size, const char *text) {
    if (!buffer || size == 0) return;
    std::strncpy(buffer, text, size - 1);
    buffer[size - 1] = '\0';
}

// Reads and decodes a photo file into 8-bit BGR with its EXIF orientation applied, refusing
// images over max_pixels before decoding; source_channels is what the file held (1, 3 or 4).
// Never throws.
cvision_status load_photo(const char *path, int64_t max_pixels, cv::Mat &colour, int &source_channels,
                          char *message, size_t message_size);

// Decodes a photo file's bytes as load_photo does once it has read them (the same checks and messages).
cvision_status decode_photo(const std::vector<unsigned char> &bytes, int64_t max_pixels, cv::Mat &colour,
                            int &source_channels, char *message, size_t message_size);

// Decoders (codecs.cpp): 8-bit BGR, or an empty Mat when the data cannot be decoded; channels is
// what the file stores (1 grey, 3 colour, 4 with alpha).
cv::Mat decode_jpeg(const std::vector<unsigned char> &bytes, int &channels);
cv::Mat decode_png(const std::vector<unsigned char> &bytes, int &channels);
cv::Mat decode_webp(const std::vector<unsigned char> &bytes, int &channels);
cv::Mat decode_tiff(const std::vector<unsigned char> &bytes, int &channels);
cv::Mat decode_bmp(const std::vector<unsigned char> &bytes, int &channels);
bool encode_jpeg(const cv::Mat &bgr, const char *path, int quality);
bool encode_png(const cv::Mat &bgr, const char *path);

}  // namespace cvision
