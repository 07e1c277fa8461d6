#include "CVision.h"
#include "internal.hpp"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using cvision::set_message;

struct cvision_mood_model {
    cv::dnn::Net net;
    cv::CascadeClassifier cascade;
    cvision_mood_settings settings;
    // Whether the graph names its softmax `probabilities` (a model exported before it did gives the score only).
    bool has_probabilities = false;
};

namespace {

// Checks that a model file exists and can be opened, naming it in the message otherwise.
cvision_status check_file(const char *what, const char *path, char *message, size_t message_size) {
    struct stat st;
    char text[512];
    if (stat(path, &st) != 0) {
        std::snprintf(text, sizeof text, "%s %s: %s", what, path, std::strerror(errno));
        set_message(message, message_size, text);
        return errno == ENOENT || errno == ENOTDIR ? CVISION_FILE_MISSING : CVISION_UNREADABLE;
    }
    if (S_ISDIR(st.st_mode) || access(path, R_OK) != 0) {
        std::snprintf(text, sizeof text, "%s %s cannot be read", what, path);
        set_message(message, message_size, text);
        return CVISION_UNREADABLE;
    }
    return CVISION_OK;
}

// The 8-bit grey face crop_size² crop, as FER2013 stores faces, then resized to the network's
// input side exactly as in training (cv2.resize INTER_LINEAR).
cv::Mat network_input(const cv::Mat &grey_face, const cvision_mood_settings &s) {
    cv::Mat crop = grey_face;
    if (crop.cols != s.crop_size || crop.rows != s.crop_size) {
        int interpolation = crop.cols > s.crop_size ? cv::INTER_AREA : cv::INTER_LINEAR;
        cv::resize(grey_face, crop, cv::Size(s.crop_size, s.crop_size), 0, 0, interpolation);
    }
    cv::Mat input = crop;
    if (s.input_size != s.crop_size)
        cv::resize(crop, input, cv::Size(s.input_size, s.input_size), 0, 0, cv::INTER_LINEAR);
    return input;
}

// A square grey crop of side `side` centred at (cx, cy); the parts outside the photo repeat its
// edge pixels, as a face at the border of a FER2013 crop does.
cv::Mat square_crop(const cv::Mat &colour, double cx, double cy, double side) {
    int s = std::max(1, int(std::lround(side)));
    int x = int(std::lround(cx - side / 2)), y = int(std::lround(cy - side / 2));
    cv::Rect wanted(x, y, s, s);
    cv::Rect inside = wanted & cv::Rect(0, 0, colour.cols, colour.rows);
    cv::Mat grey;
    if (inside.empty()) {
        // Cannot happen for a detected face; a flat crop rather than an exception if it did.
        return cv::Mat(s, s, CV_8UC1, cv::Scalar(128));
    }
    cv::cvtColor(colour(inside), grey, cv::COLOR_BGR2GRAY);
    int top = inside.y - y, left = inside.x - x;
    int bottom = (y + s) - (inside.y + inside.height), right = (x + s) - (inside.x + inside.width);
    if (top || left || bottom || right)
        cv::copyMakeBorder(grey, grey, top, bottom, left, right, cv::BORDER_REPLICATE);
    return grey;
}

// All faces in the photo, in its own pixels (boxes may reach past its edges).
std::vector<cv::Rect2d> detect_faces(cv::CascadeClassifier &cascade, const cv::Mat &colour,
                                     const cvision_mood_settings &s) {
    cv::Mat grey;
    cv::cvtColor(colour, grey, cv::COLOR_BGR2GRAY);
    double scale = 1.0;
    int long_side = std::max(grey.cols, grey.rows);
    if (long_side > s.detect_max_side) {
        scale = double(s.detect_max_side) / long_side;
        cv::resize(grey, grey, cv::Size(), scale, scale, cv::INTER_AREA);
    }
    // Tight crops put the face against the frame; Haar windows need some context around it.
    int border = int(std::lround(s.detect_border * std::max(grey.cols, grey.rows)));
    if (border > 0) cv::copyMakeBorder(grey, grey, border, border, border, border, cv::BORDER_REPLICATE);
    // Most photos given to moosic are portraits, so large faces are searched first (3x faster
    // than searching every size); small faces only when there is no large one.
    auto min_side = [&](double fraction) {
        return std::max(24, int(std::lround(fraction * std::min(colour.cols, colour.rows) * scale)));
    };
    int min_face = min_side(s.detect_min_face);
    std::vector<cv::Rect> found;
    cascade.detectMultiScale(grey, found, 1.1, s.detect_min_neighbors, 0, cv::Size(min_face, min_face));
    int retry_face = min_side(s.detect_min_face_retry);
    if (found.empty() && retry_face < min_face)
        cascade.detectMultiScale(grey, found, 1.1, s.detect_min_neighbors, 0, cv::Size(retry_face, retry_face),
                                 cv::Size(min_face, min_face));
    std::vector<cv::Rect2d> faces;
    for (const cv::Rect &r : found)
        faces.emplace_back((r.x - border) / scale, (r.y - border) / scale, r.width / scale, r.height / scale);
    return faces;
}

bool has_extension(const std::string &path, const char *ext) {
    std::string e(ext);
    if (path.size() <= e.size()) return false;
    std::string tail = path.substr(path.size() - e.size());
    std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return tail == e;
}

// The copy says what the listener's playlist follows: the band of the score (sad, neutral, happy) and the score.
bool write_annotated(const cv::Mat &colour, const cv::Rect &box, double score, const cvision_mood_settings &bands,
                     const char *path) {
    std::string out(path);
    bool jpeg = has_extension(out, ".jpg") || has_extension(out, ".jpeg");
    if (!jpeg && !has_extension(out, ".png")) return false;
    cv::Mat copy = colour.clone();
    int long_side = std::max(copy.cols, copy.rows);
    int thickness = std::max(2, long_side / 300);
    const std::string band = cvision_mood_band(&bands, score);
    // BGR: green, amber, blue
    const cv::Scalar colour_of_mood = band == "happy"     ? cv::Scalar(40, 200, 40)
                                      : band == "neutral" ? cv::Scalar(0, 150, 215)
                                                          : cv::Scalar(220, 120, 30);
    cv::rectangle(copy, box, colour_of_mood, thickness);
    char label[32];
    std::snprintf(label, sizeof label, "%s %.2f", band.c_str(), score);
    double font_scale = std::max(0.5, long_side / 700.0);
    int baseline = 0;
    cv::Size text = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, font_scale, thickness, &baseline);
    // Above the box when there is room, else inside its top edge.
    int text_y = box.y - thickness - baseline >= text.height ? box.y - thickness - baseline : box.y + text.height + thickness;
    cv::Point origin(std::max(0, box.x), text_y);
    cv::rectangle(copy, cv::Rect(origin.x, origin.y - text.height - baseline / 2, text.width, text.height + baseline),
                  colour_of_mood, cv::FILLED);
    cv::putText(copy, label, origin, cv::FONT_HERSHEY_SIMPLEX, font_scale, cv::Scalar(255, 255, 255), thickness);
    return jpeg ? cvision::encode_jpeg(copy, path, 92) : cvision::encode_png(copy, path);
}

}  // namespace

extern "C" cvision_status cvision_mood_model_load(const char *onnx_path, const char *cascade_path,
                                                  const cvision_mood_settings *settings, cvision_mood_model **out,
                                                  char *message, size_t message_size) {
    if (out) *out = nullptr;
    if (!onnx_path || !cascade_path || !settings || !out) {
        set_message(message, message_size, "missing argument");
        return CVISION_INTERNAL;
    }
    if (settings->input_size < 8 || settings->crop_size < 8 || settings->crop_scale <= 0 ||
        settings->detect_max_side < 64 || settings->detect_min_neighbors < 0) {
        set_message(message, message_size, "face-mood settings out of range");
        return CVISION_INTERNAL;
    }
    cvision_mood_model *model = nullptr;
    try {
        cvision_silence_logging();
        cvision_status status = check_file("face-mood model", onnx_path, message, message_size);
        if (status != CVISION_OK) return status;
        status = check_file("face detector", cascade_path, message, message_size);
        if (status != CVISION_OK) return status;
        model = new cvision_mood_model();
        model->settings = *settings;
        char text[512];
        try {
            model->net = cv::dnn::readNetFromONNX(onnx_path);
        } catch (const cv::Exception &) {
            model->net = cv::dnn::Net();
        }
        if (model->net.empty()) {
            delete model;
            std::snprintf(text, sizeof text, "face-mood model %s is not an ONNX model OpenCV can load (corrupt or unsupported)", onnx_path);
            set_message(message, message_size, text);
            return CVISION_CORRUPT;
        }
        model->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        model->has_probabilities = model->net.getLayerId("probabilities") >= 0;
        model->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        bool cascade_loaded = false;
        try {
            cascade_loaded = model->cascade.load(cascade_path);
        } catch (const cv::Exception &) {
        }
        if (!cascade_loaded || model->cascade.empty()) {
            delete model;
            std::snprintf(text, sizeof text, "face detector %s is not a Haar cascade OpenCV can load", cascade_path);
            set_message(message, message_size, text);
            return CVISION_CORRUPT;
        }
        *out = model;
        return CVISION_OK;
    } catch (const std::bad_alloc &) {
        delete model;
        set_message(message, message_size, "out of memory while loading the face-mood model");
        return CVISION_INTERNAL;
    } catch (...) {
        delete model;
        set_message(message, message_size, "unexpected error while loading the face-mood model");
        return CVISION_INTERNAL;
    }
}

extern "C" void cvision_mood_model_free(cvision_mood_model *model) { delete model; }

extern "C" const char *cvision_mood_band(const cvision_mood_settings *settings, double score) {
    if (score >= settings->band_happy_from) return "happy";
    return score >= settings->band_neutral_from ? "neutral" : "sad";
}

namespace {

// The mood of the largest face of a photo already decoded (or of the whole image when aligned).
cvision_status read_mood(cvision_mood_model *model, const cv::Mat &colour, int aligned, const char *annotate_path,
                         cvision_mood_result *result, char *message, size_t message_size) {
    try {
        const cvision_mood_settings &s = model->settings;

        cv::Mat face;
        cv::Rect box;
        if (aligned) {
            // Already a face crop: its centred square, as FER2013's crops are square.
            int side = std::min(colour.cols, colour.rows);
            box = cv::Rect((colour.cols - side) / 2, (colour.rows - side) / 2, side, side);
            cv::cvtColor(colour(box), face, cv::COLOR_BGR2GRAY);
            result->faces_found = 1;
        } else {
            std::vector<cv::Rect2d> faces = detect_faces(model->cascade, colour, s);
            result->faces_found = int(faces.size());
            if (faces.empty()) {
                set_message(message, message_size, "no face found");
                return CVISION_NO_FACE;
            }
            const cv::Rect2d largest = *std::max_element(faces.begin(), faces.end(),
                [](const cv::Rect2d &a, const cv::Rect2d &b) { return a.area() < b.area(); });
            double side = std::max(largest.width, largest.height);
            double cx = largest.x + largest.width / 2, cy = largest.y + largest.height / 2 + s.crop_shift * side;
            face = square_crop(colour, cx, cy, s.crop_scale * side);
            box = cv::Rect(cv::Point(int(std::lround(largest.x)), int(std::lround(largest.y))),
                           cv::Point(int(std::lround(largest.br().x)), int(std::lround(largest.br().y))))
                  & cv::Rect(0, 0, colour.cols, colour.rows);
        }
        result->face_x = box.x; result->face_y = box.y; result->face_w = box.width; result->face_h = box.height;

        cv::Mat input = network_input(face, s);
        cv::Mat blob = cv::dnn::blobFromImage(input, 1.0, cv::Size(), cv::Scalar(), false, false, CV_32F);
        auto start = std::chrono::steady_clock::now();
        cv::Mat output, probabilities;
        try {
            model->net.setInput(blob);
            if (model->has_probabilities) {
                std::vector<cv::Mat> outputs;
                model->net.forward(outputs, std::vector<cv::String>{"score", "probabilities"});
                output = outputs.at(0);
                probabilities = outputs.at(1);
            } else {
                output = model->net.forward();
            }
        } catch (const cv::Exception &) {
            char text[200];
            std::snprintf(text, sizeof text, "the face-mood network failed on a %dx%d input (does face_mood.json match the model?)",
                          s.input_size, s.input_size);
            set_message(message, message_size, text);
            return CVISION_INTERNAL;
        }
        result->forward_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (output.total() != 1 || output.depth() != CV_32F || !std::isfinite(output.at<float>(0))) {
            set_message(message, message_size, "the face-mood network did not give one mood score");
            return CVISION_INTERNAL;
        }
        result->score = std::clamp(double(output.at<float>(0)), 0.0, 1.0);
        if (model->has_probabilities) {
            if (probabilities.total() != 3 || probabilities.depth() != CV_32F) {
                set_message(message, message_size, "the face-mood network's probabilities are not three numbers");
                return CVISION_INTERNAL;
            }
            for (int i = 0; i < 3; ++i) {
                const float p = probabilities.at<float>(i);
                if (!std::isfinite(p)) {
                    set_message(message, message_size, "the face-mood network gave a probability that is not a number");
                    return CVISION_INTERNAL;
                }
                result->probabilities[i] = std::clamp(double(p), 0.0, 1.0);
            }
            result->has_probabilities = 1;
        }

        if (annotate_path && *annotate_path) {
            bool written = false;
            try {
                written = write_annotated(colour, box, result->score, model->settings, annotate_path);
            } catch (const cv::Exception &) {
            }
            if (!written) {
                char text[512];
                std::snprintf(text, sizeof text, "cannot write the annotated photo to %s (a .jpg, .jpeg or .png path in a writable folder)",
                              annotate_path);
                set_message(message, message_size, text);
                return CVISION_WRITE_FAILED;
            }
        }
        return CVISION_OK;
    } catch (const std::bad_alloc &) {
        set_message(message, message_size, "out of memory while reading the photo");
        return CVISION_TOO_LARGE;
    } catch (const cv::Exception &) {
        set_message(message, message_size, "the photo could not be processed");
        return CVISION_CORRUPT;
    } catch (...) {
        set_message(message, message_size, "unexpected error while reading the photo");
        return CVISION_INTERNAL;
    }
}

}  // namespace

extern "C" cvision_status cvision_read_mood(cvision_mood_model *model, const char *photo_path, int64_t max_pixels,
                                            int aligned, const char *annotate_path, cvision_mood_result *result,
                                            char *message, size_t message_size) {
    if (!model || !photo_path || !result) {
        set_message(message, message_size, "missing argument");
        return CVISION_INTERNAL;
    }
    *result = cvision_mood_result{};
    cvision_silence_logging();
    cv::Mat colour;
    int source_channels = 0;
    cvision_status status = cvision::load_photo(photo_path, max_pixels, colour, source_channels, message, message_size);
    if (status != CVISION_OK) return status;
    return read_mood(model, colour, aligned, annotate_path, result, message, message_size);
}

extern "C" cvision_status cvision_read_mood_bytes(cvision_mood_model *model, const unsigned char *bytes, size_t size,
                                                  int64_t max_pixels, int aligned, const char *annotate_path,
                                                  cvision_mood_result *result, char *message, size_t message_size) {
    if (!model || (!bytes && size > 0) || !result) {
        set_message(message, message_size, "missing argument");
        return CVISION_INTERNAL;
    }
    *result = cvision_mood_result{};
    cvision_silence_logging();
    cv::Mat colour;
    int source_channels = 0;
    cvision_status status;
    try {
        const std::vector<unsigned char> copy(bytes, bytes + size);
        status = cvision::decode_photo(copy, max_pixels, colour, source_channels, message, message_size);
    } catch (const std::bad_alloc &) {
        set_message(message, message_size, "out of memory while reading the photo");
        return CVISION_TOO_LARGE;
    }
    if (status != CVISION_OK) return status;
    return read_mood(model, colour, aligned, annotate_path, result, message, message_size);
}
