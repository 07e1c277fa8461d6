#include "CVision.h"
#include "internal.hpp"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/core/utility.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

using cvision::set_message;

namespace {

// Reads one SHORT or LONG value of a tag in the first IFD of a TIFF structure starting at base
// (a TIFF file, or the EXIF block of a JPEG or WebP). Returns false when the tag is absent.
bool tiff_tag(const std::vector<unsigned char> &b, size_t base, uint16_t tag, int64_t &value) {
    const size_t n = b.size();
    if (base + 8 > n) return false;
    bool little = b[base] == 'I' && b[base + 1] == 'I';
    if (!little && !(b[base] == 'M' && b[base + 1] == 'M')) return false;
    auto u16 = [&](size_t i) -> int64_t {
        return little ? (int64_t(b[i]) | int64_t(b[i + 1]) << 8) : (int64_t(b[i]) << 8 | int64_t(b[i + 1]));
    };
    auto u32 = [&](size_t i) -> int64_t {
        return little ? (u16(i) | u16(i + 2) << 16) : (u16(i) << 16 | u16(i + 2));
    };
    size_t ifd = base + size_t(u32(base + 4));
    if (ifd + 2 > n || ifd < base) return false;
    int64_t count = u16(ifd);
    for (int64_t e = 0; e < count; ++e) {
        size_t entry = ifd + 2 + size_t(e) * 12;
        if (entry + 12 > n) return false;
        if (u16(entry) != tag) continue;
        int64_t type = u16(entry + 2);
        if (type == 3) { value = u16(entry + 8); return true; }
        if (type == 4) { value = u32(entry + 8); return true; }
        return false;
    }
    return false;
}

// Reads width and height from the file header so that a huge image is refused before OpenCV
// allocates memory for it. Returns false when the format is not one we can sniff; the decoder's
// own limit (OPENCV_IO_MAX_IMAGE_PIXELS, 2^30 pixels) would be the only one then, so the caller
// refuses such files.
bool sniff_dimensions(const std::vector<unsigned char> &b, int64_t &w, int64_t &h) {
    auto be16 = [&](size_t i) { return (int64_t(b[i]) << 8) | b[i + 1]; };
    auto be32 = [&](size_t i) { return (be16(i) << 16) | be16(i + 2); };
    auto le16 = [&](size_t i) { return int64_t(b[i]) | (int64_t(b[i + 1]) << 8); };
    auto le32 = [&](size_t i) { return le16(i) | (le16(i + 2) << 16); };
    const size_t n = b.size();
    if (n >= 24 && std::memcmp(b.data(), "\x89PNG\r\n\x1a\n", 8) == 0) {
        w = be32(16); h = be32(20); return true;
    }
    if (n >= 26 && b[0] == 'B' && b[1] == 'M') {
        w = le32(18); h = std::abs(int32_t(le32(22))); return true;
    }
    if (n >= 30 && std::memcmp(b.data(), "RIFF", 4) == 0 && std::memcmp(b.data() + 8, "WEBP", 4) == 0) {
        if (std::memcmp(b.data() + 12, "VP8X", 4) == 0) {
            w = 1 + (int64_t(b[24]) | int64_t(b[25]) << 8 | int64_t(b[26]) << 16);
            h = 1 + (int64_t(b[27]) | int64_t(b[28]) << 8 | int64_t(b[29]) << 16);
            return true;
        }
        if (std::memcmp(b.data() + 12, "VP8L", 4) == 0 && n >= 25) {
            uint32_t bits = uint32_t(b[21]) | uint32_t(b[22]) << 8 | uint32_t(b[23]) << 16 | uint32_t(b[24]) << 24;
            w = 1 + (bits & 0x3FFF); h = 1 + ((bits >> 14) & 0x3FFF); return true;
        }
        if (std::memcmp(b.data() + 12, "VP8 ", 4) == 0) {
            w = le16(26) & 0x3FFF; h = le16(28) & 0x3FFF; return true;
        }
        return false;
    }
    if (n >= 8 && (std::memcmp(b.data(), "II*\0", 4) == 0 || std::memcmp(b.data(), "MM\0*", 4) == 0)) {
        return tiff_tag(b, 0, 256, w) && tiff_tag(b, 0, 257, h);
    }
    if (n >= 4 && b[0] == 0xFF && b[1] == 0xD8) {
        // Walk JPEG segments to the first start-of-frame marker.
        size_t i = 2;
        while (i + 9 < n) {
            if (b[i] != 0xFF) return false;
            unsigned char marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                h = be16(i + 5); w = be16(i + 7); return true;
            }
            i += 2 + size_t(be16(i + 2));
        }
        return false;
    }
    return false;
}

// The EXIF orientation of a WebP file (its EXIF chunk), 1 (as stored) when there is none.
int webp_orientation(const std::vector<unsigned char> &b) {
    if (b.size() < 30 || std::memcmp(b.data(), "RIFF", 4) != 0 || std::memcmp(b.data() + 8, "WEBP", 4) != 0) return 1;
    size_t i = 12;
    while (i + 8 <= b.size()) {
        size_t size = size_t(b[i + 4]) | size_t(b[i + 5]) << 8 | size_t(b[i + 6]) << 16 | size_t(b[i + 7]) << 24;
        if (std::memcmp(b.data() + i, "EXIF", 4) == 0) {
            size_t base = i + 8;
            if (base + 6 <= b.size() && std::memcmp(b.data() + base, "Exif\0\0", 6) == 0) base += 6;
            int64_t orientation = 1;
            return tiff_tag(b, base, 0x0112, orientation) && orientation >= 1 && orientation <= 8 ? int(orientation) : 1;
        }
        i += 8 + size + (size & 1);
    }
    return 1;
}

// The EXIF orientation of a JPEG file (APP1 "Exif" segment), 1 (as stored) when there is none.
int jpeg_orientation(const std::vector<unsigned char> &b) {
    size_t i = 2;
    while (i + 4 <= b.size() && b[i] == 0xFF) {
        unsigned char marker = b[i + 1];
        if (marker == 0xDA || marker == 0xD9) break;  // start of scan: no metadata after it
        size_t length = size_t(b[i + 2]) << 8 | b[i + 3];
        if (marker == 0xE1 && i + 10 <= b.size() && std::memcmp(b.data() + i + 4, "Exif\0\0", 6) == 0) {
            int64_t orientation = 1;
            return tiff_tag(b, i + 10, 0x0112, orientation) && orientation >= 1 && orientation <= 8 ? int(orientation) : 1;
        }
        i += 2 + length;
    }
    return 1;
}

// The same transformations as OpenCV's own EXIF handling (imgcodecs ApplyExifOrientation).
void apply_orientation(cv::Mat &img, int orientation) {
    switch (orientation) {
    case 2: cv::flip(img, img, 1); break;
    case 3: cv::flip(img, img, -1); break;
    case 4: cv::flip(img, img, 0); break;
    case 5: cv::transpose(img, img); break;
    case 6: cv::transpose(img, img); cv::flip(img, img, 1); break;
    case 7: cv::transpose(img, img); cv::flip(img, img, -1); break;
    case 8: cv::transpose(img, img); cv::flip(img, img, 0); break;
    default: break;
    }
}

}  // namespace

struct cvision_image {
    cv::Mat pixels;   // 8-bit BGR
    int source_channels;
};

extern "C" void cvision_silence_logging(void) {
    try {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    } catch (...) {
    }
}

cvision_status cvision::load_photo(const char *path, int64_t max_pixels, cv::Mat &colour, int &source_channels,
                                  char *message, size_t message_size) {
    std::vector<unsigned char> bytes;
    try {
        cvision_silence_logging();
        struct stat st;
        if (stat(path, &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR) {
                set_message(message, message_size, "no such file");
                return CVISION_FILE_MISSING;
            }
            set_message(message, message_size, std::strerror(errno));
            return CVISION_UNREADABLE;
        }
        if (S_ISDIR(st.st_mode)) {
            set_message(message, message_size, "is a directory, not an image");
            return CVISION_UNREADABLE;
        }
        // A FIFO or a device would block the read or never end.
        if (!S_ISREG(st.st_mode)) {
            set_message(message, message_size, "not a regular file");
            return CVISION_UNREADABLE;
        }
        std::FILE *f = std::fopen(path, "rb");
        if (!f) {
            set_message(message, message_size, std::strerror(errno));
            return CVISION_UNREADABLE;
        }
        bytes.resize(size_t(st.st_size));
        size_t got = bytes.empty() ? 0 : std::fread(bytes.data(), 1, bytes.size(), f);
        bool read_error = std::ferror(f);
        std::fclose(f);
        if (read_error) {
            set_message(message, message_size, "read error");
            return CVISION_UNREADABLE;
        }
        bytes.resize(got);
    } catch (const std::bad_alloc &) {
        set_message(message, message_size, "out of memory while reading the image");
        return CVISION_TOO_LARGE;
    } catch (...) {
        set_message(message, message_size, "unexpected error while reading the image");
        return CVISION_INTERNAL;
    }
    return decode_photo(bytes, max_pixels, colour, source_channels, message, message_size);
}

cvision_status cvision::decode_photo(const std::vector<unsigned char> &bytes, int64_t max_pixels, cv::Mat &colour,
                                    int &source_channels, char *message, size_t message_size) {
    try {
        cvision_silence_logging();
        if (bytes.empty()) {
            set_message(message, message_size, "empty file (0 bytes)");
            return CVISION_CORRUPT;
        }
        int64_t w = 0, h = 0;
        if (!sniff_dimensions(bytes, w, h)) {
            set_message(message, message_size, "not an image moosic reads (JPEG, PNG, BMP, WebP or TIFF)");
            return CVISION_CORRUPT;
        }
        if (w * h > max_pixels) {
            char text[160];
            std::snprintf(text, sizeof text, "image is %lldx%lld pixels, more than the limit of %lld",
                          (long long)w, (long long)h, (long long)max_pixels);
            set_message(message, message_size, text);
            return CVISION_TOO_LARGE;
        }
        // libjpeg decodes a truncated JPEG into a partly grey picture with only a warning, so a
        // JPEG must carry its end-of-image marker. Inside entropy-coded data 0xFF is always followed
        // by 0x00 or a restart marker, so FF D9 near the end is the real end of the image.
        if (bytes.size() >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8) {
            bool has_end = false;
            size_t from = bytes.size() > 4096 ? bytes.size() - 4096 : 0;
            for (size_t i = bytes.size() - 1; i > from && !has_end; --i)
                has_end = bytes[i - 1] == 0xFF && bytes[i] == 0xD9;
            if (!has_end) {
                set_message(message, message_size, "truncated JPEG (no end-of-image marker)");
                return CVISION_CORRUPT;
            }
        }
        // The sniffer above accepted only these five formats.
        const bool jpeg = bytes[0] == 0xFF, png = bytes[0] == 0x89, bmp = bytes[0] == 'B', webp = bytes[0] == 'R';
        source_channels = 0;
        colour = jpeg ? cvision::decode_jpeg(bytes, source_channels)
               : png  ? cvision::decode_png(bytes, source_channels)
               : bmp  ? cvision::decode_bmp(bytes, source_channels)
               : webp ? cvision::decode_webp(bytes, source_channels)
                      : cvision::decode_tiff(bytes, source_channels);
        if (colour.empty()) {
            set_message(message, message_size, "not a readable image (corrupt, truncated or unsupported format)");
            return CVISION_CORRUPT;
        }
        if (int64_t(colour.cols) * colour.rows > max_pixels) {
            set_message(message, message_size, "image has more pixels than the limit");
            return CVISION_TOO_LARGE;
        }
        // libtiff applies a TIFF's own orientation tag while decoding.
        if (jpeg) apply_orientation(colour, jpeg_orientation(bytes));
        if (webp) apply_orientation(colour, webp_orientation(bytes));
        return CVISION_OK;
    } catch (const cv::Exception &e) {
        set_message(message, message_size, "image could not be decoded");
        return CVISION_CORRUPT;
    } catch (const std::bad_alloc &) {
        set_message(message, message_size, "out of memory while decoding the image");
        return CVISION_TOO_LARGE;
    } catch (...) {
        set_message(message, message_size, "unexpected error while decoding the image");
        return CVISION_INTERNAL;
    }
}

extern "C" cvision_status cvision_image_load(const char *path, int64_t max_pixels, cvision_image **out,
                                             char *message, size_t message_size) {
    if (out) *out = nullptr;
    try {
        cv::Mat colour;
        int source_channels = 0;
        cvision_status status = cvision::load_photo(path, max_pixels, colour, source_channels, message, message_size);
        if (status != CVISION_OK) return status;
        auto *image = new cvision_image{colour, source_channels};
        if (out) *out = image; else delete image;
        return CVISION_OK;
    } catch (...) {
        set_message(message, message_size, "unexpected error while decoding the image");
        return CVISION_INTERNAL;
    }
}

extern "C" int cvision_image_width(const cvision_image *image) { return image ? image->pixels.cols : 0; }
extern "C" int cvision_image_height(const cvision_image *image) { return image ? image->pixels.rows : 0; }
extern "C" int cvision_image_source_channels(const cvision_image *image) { return image ? image->source_channels : 0; }
extern "C" void cvision_image_free(cvision_image *image) { delete image; }
