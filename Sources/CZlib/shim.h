// Debian's zlib (zlib1g-dev), to read gzip-compressed catalogs (`moosic catalog import tracks.csv.gz`).
#include <zlib.h>
