// Image codecs over libjpeg, libpng, libwebp and libtiff directly, instead of libopencv_imgcodecs:
// that library also pulls in gdal, gdcm, poppler and ~120 more shared libraries, whose loading
// cost ~0.1 s of CPU at every start of every moosic command. None of these codecs prints anything.
#include "internal.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>

#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>
#include <webp/decode.h>

namespace {

struct JpegError {
    jpeg_error_mgr manager;
    std::jmp_buf jump;
};

void jpeg_fail(j_common_ptr info) { std::longjmp(reinterpret_cast<JpegError *>(info->err)->jump, 1); }
void jpeg_quiet(j_common_ptr, int) {}
void jpeg_no_output(j_common_ptr) {}

struct JpegDecode {
    jpeg_decompress_struct info;
    JpegError error;
    cv::Mat pixels;
    int channels = 0;
};

struct TiffMemory {
    const std::vector<unsigned char> *bytes;
    toff_t position = 0;
};

tsize_t tiff_read(thandle_t h, tdata_t buffer, tsize_t size) {
    auto *m = static_cast<TiffMemory *>(h);
    if (m->position >= m->bytes->size()) return 0;
    size_t n = std::min<size_t>(size_t(size), m->bytes->size() - size_t(m->position));
    std::memcpy(buffer, m->bytes->data() + m->position, n);
    m->position += n;
    return tsize_t(n);
}
tsize_t tiff_write(thandle_t, tdata_t, tsize_t) { return 0; }
toff_t tiff_seek(thandle_t h, toff_t offset, int whence) {
    auto *m = static_cast<TiffMemory *>(h);
    toff_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->position : toff_t(m->bytes->size());
    m->position = base + offset;
    return m->position;
}
int tiff_close(thandle_t) { return 0; }
toff_t tiff_size(thandle_t h) { return toff_t(static_cast<TiffMemory *>(h)->bytes->size()); }
int tiff_map(thandle_t, tdata_t *, toff_t *) { return 0; }
void tiff_unmap(thandle_t, tdata_t, toff_t) {}

int64_t le(const std::vector<unsigned char> &b, size_t i, int bytes) {
    int64_t v = 0;
    for (int k = bytes - 1; k >= 0; --k) v = v << 8 | b[i + size_t(k)];
    return v;
}

}  // namespace

namespace cvision {

cv::Mat decode_jpeg(const std::vector<unsigned char> &bytes, int &channels) {
    auto d = std::make_unique<JpegDecode>();
    d->info.err = jpeg_std_error(&d->error.manager);
    d->error.manager.error_exit = jpeg_fail;
    d->error.manager.emit_message = jpeg_quiet;
    d->error.manager.output_message = jpeg_no_output;
    if (setjmp(d->error.jump)) {
        jpeg_destroy_decompress(&d->info);
        return cv::Mat();
    }
    jpeg_create_decompress(&d->info);
    jpeg_mem_src(&d->info, bytes.data(), (unsigned long)bytes.size());
    jpeg_read_header(&d->info, TRUE);
    d->channels = d->info.num_components;
    bool grey = d->info.jpeg_color_space == JCS_GRAYSCALE;
    if (!grey && d->info.jpeg_color_space != JCS_YCbCr && d->info.jpeg_color_space != JCS_RGB) {
        jpeg_destroy_decompress(&d->info);  // CMYK and YCCK: not photos moosic expects
        return cv::Mat();
    }
    d->info.out_color_space = grey ? JCS_GRAYSCALE : JCS_EXT_BGR;
    jpeg_start_decompress(&d->info);
    d->pixels.create(int(d->info.output_height), int(d->info.output_width), grey ? CV_8UC1 : CV_8UC3);
    while (d->info.output_scanline < d->info.output_height) {
        JSAMPROW row = d->pixels.ptr(int(d->info.output_scanline));
        jpeg_read_scanlines(&d->info, &row, 1);
    }
    jpeg_finish_decompress(&d->info);
    jpeg_destroy_decompress(&d->info);
    channels = d->channels;
    cv::Mat out;
    if (grey) cv::cvtColor(d->pixels, out, cv::COLOR_GRAY2BGR); else out = d->pixels;
    return out;
}

cv::Mat decode_png(const std::vector<unsigned char> &bytes, int &channels) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) return cv::Mat();
    channels = int(PNG_IMAGE_SAMPLE_CHANNELS(image.format));
    image.format = PNG_FORMAT_BGR;
    // Transparent parts are composited onto white, as a viewer shows them on a page.
    cv::Mat out(int(image.height), int(image.width), CV_8UC3, cv::Scalar(255, 255, 255));
    if (!png_image_finish_read(&image, nullptr, out.data, png_int_32(out.step[0]), nullptr)) {
        png_image_free(&image);
        return cv::Mat();
    }
    return out;
}

cv::Mat decode_webp(const std::vector<unsigned char> &bytes, int &channels) {
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(bytes.data(), bytes.size(), &features) != VP8_STATUS_OK) return cv::Mat();
    channels = features.has_alpha ? 4 : 3;
    cv::Mat out(features.height, features.width, CV_8UC3);
    if (!WebPDecodeBGRInto(bytes.data(), bytes.size(), out.data, out.total() * 3, int(out.step[0]))) return cv::Mat();
    return out;
}

cv::Mat decode_tiff(const std::vector<unsigned char> &bytes, int &channels) {
    TIFFSetErrorHandler(nullptr);
    TIFFSetWarningHandler(nullptr);
    TiffMemory memory{&bytes};
    TIFF *tif = TIFFClientOpen("photo", "rm", &memory, tiff_read, tiff_write, tiff_seek, tiff_close, tiff_size,
                               tiff_map, tiff_unmap);
    if (!tif) return cv::Mat();
    uint32_t w = 0, h = 0;
    uint16_t samples = 1;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
    cv::Mat rgba;
    if (w > 0 && h > 0) {
        rgba.create(int(h), int(w), CV_8UC4);  // libtiff's raster: R, G, B, A bytes per pixel
        if (!TIFFReadRGBAImageOriented(tif, w, h, reinterpret_cast<uint32_t *>(rgba.data), ORIENTATION_TOPLEFT, 0))
            rgba.release();
    }
    TIFFClose(tif);
    if (rgba.empty()) return cv::Mat();
    channels = samples;
    cv::Mat out;
    cv::cvtColor(rgba, out, cv::COLOR_RGBA2BGR);
    return out;
}

// Uncompressed BMP (the form cameras and editors write): 8-bit palette, 24- and 32-bit.
cv::Mat decode_bmp(const std::vector<unsigned char> &b, int &channels) {
    if (b.size() < 54) return cv::Mat();
    size_t data = size_t(le(b, 10, 4)), header = size_t(le(b, 14, 4));
    int64_t w = int32_t(le(b, 18, 4)), h = int32_t(le(b, 22, 4));
    int bpp = int(le(b, 28, 2)), compression = int(le(b, 30, 4));
    bool top_down = h < 0;
    h = std::abs(h);
    if (header < 40 || w <= 0 || h <= 0 || (bpp != 8 && bpp != 24 && bpp != 32)) return cv::Mat();
    if (!(compression == 0 || (compression == 3 && bpp == 32))) return cv::Mat();
    size_t stride = size_t((w * bpp + 31) / 32) * 4;
    if (data > b.size() || stride * size_t(h) > b.size() - data) return cv::Mat();
    std::vector<cv::Vec3b> palette;
    if (bpp == 8) {
        size_t colours = size_t(le(b, 46, 4));
        if (colours == 0) colours = 256;
        size_t at = 14 + header;
        if (colours > 256 || at + colours * 4 > data) return cv::Mat();
        bool grey = true;
        for (size_t i = 0; i < colours; ++i) {
            palette.emplace_back(b[at + 4 * i], b[at + 4 * i + 1], b[at + 4 * i + 2]);
            grey = grey && b[at + 4 * i] == b[at + 4 * i + 1] && b[at + 4 * i + 1] == b[at + 4 * i + 2];
        }
        palette.resize(256);
        channels = grey ? 1 : 3;
    } else {
        channels = bpp / 8;
    }
    cv::Mat out(int(h), int(w), CV_8UC3);
    for (int64_t y = 0; y < h; ++y) {
        const unsigned char *row = b.data() + data + stride * size_t(top_down ? y : h - 1 - y);
        auto *dst = out.ptr<cv::Vec3b>(int(y));
        for (int64_t x = 0; x < w; ++x) {
            if (bpp == 8) dst[x] = palette[row[x]];
            else {
                const unsigned char *p = row + x * (bpp / 8);
                dst[x] = cv::Vec3b(p[0], p[1], p[2]);
            }
        }
    }
    return out;
}

bool encode_jpeg(const cv::Mat &bgr, const char *path, int quality) {
    std::FILE *file = std::fopen(path, "wb");
    if (!file) return false;
    struct Encode {
        jpeg_compress_struct info;
        JpegError error;
    };
    auto e = std::make_unique<Encode>();
    e->info.err = jpeg_std_error(&e->error.manager);
    e->error.manager.error_exit = jpeg_fail;
    e->error.manager.emit_message = jpeg_quiet;
    e->error.manager.output_message = jpeg_no_output;
    if (setjmp(e->error.jump)) {
        jpeg_destroy_compress(&e->info);
        std::fclose(file);
        return false;
    }
    jpeg_create_compress(&e->info);
    jpeg_stdio_dest(&e->info, file);
    e->info.image_width = JDIMENSION(bgr.cols);
    e->info.image_height = JDIMENSION(bgr.rows);
    e->info.input_components = 3;
    e->info.in_color_space = JCS_EXT_BGR;
    jpeg_set_defaults(&e->info);
    jpeg_set_quality(&e->info, quality, TRUE);
    jpeg_start_compress(&e->info, TRUE);
    while (e->info.next_scanline < e->info.image_height) {
        JSAMPROW row = const_cast<unsigned char *>(bgr.ptr(int(e->info.next_scanline)));
        jpeg_write_scanlines(&e->info, &row, 1);
    }
    jpeg_finish_compress(&e->info);
    jpeg_destroy_compress(&e->info);
    return std::fclose(file) == 0;
}

bool encode_png(const cv::Mat &bgr, const char *path) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = png_uint_32(bgr.cols);
    image.height = png_uint_32(bgr.rows);
    image.format = PNG_FORMAT_BGR;
    bool ok = png_image_write_to_file(&image, path, 0, bgr.data, png_int_32(bgr.step[0]), nullptr) != 0;
    png_image_free(&image);
    return ok;
}

}  // namespace cvision
