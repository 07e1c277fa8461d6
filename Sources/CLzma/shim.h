// Debian's liblzma (liblzma-dev), for the shipped catalog Models/spotify-tracks.csv.xz.
#include <lzma.h>
