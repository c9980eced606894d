// zlib (Debian zlib1g-dev): raw deflate for the Deflated Explicit VR Little Endian transfer syntax.
#include <zlib.h>
