// Helpers shared by CVision's translation units; not part of the C interface.
#pragma once
#include <cstddef>
#include <cstring>

namespace cvision {

// Copies text into a caller-supplied buffer, always NUL-terminated, never overflowing.
inline void set_message(char *buffer, size_t size, const char *text) {
    if (!buffer || size == 0) return;
    std::strncpy(buffer, text, size - 1);
    buffer[size - 1] = '\0';
}

}  // namespace cvision
