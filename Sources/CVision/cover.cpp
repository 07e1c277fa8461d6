// The JPEG encoder entry point for generated images (playlist covers).
#include <cerrno>
#include <cstring>

#include <opencv2/imgproc.hpp>

#include "internal.hpp"

using cvision::set_message;

extern "C" cvision_status cvision_write_jpeg(const uint8_t *rgb, int width, int height, int quality, const char *path,
                                             char *message, size_t message_size) {
    try {
        if (!rgb || !path || width <= 0 || height <= 0 || width > 4096 || height > 4096 || quality < 1 || quality > 100) {
            set_message(message, message_size, "invalid image or quality");
            return CVISION_CORRUPT;
        }
        cv::Mat source(height, width, CV_8UC3, const_cast<uint8_t *>(rgb));
        cv::Mat bgr;
        cv::cvtColor(source, bgr, cv::COLOR_RGB2BGR);
        if (!cvision::encode_jpeg(bgr, path, quality)) {
            set_message(message, message_size, errno ? std::strerror(errno) : "cannot write the JPEG");
            return CVISION_WRITE_FAILED;
        }
        return CVISION_OK;
    } catch (const std::exception &error) {
        set_message(message, message_size, error.what());
        return CVISION_INTERNAL;
    } catch (...) {
        set_message(message, message_size, "unknown C++ exception");
        return CVISION_INTERNAL;
    }
}
