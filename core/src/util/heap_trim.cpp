#include "util/heap_trim.hpp"

// <malloc.h> first: it is what defines __GLIBC__ (through <features.h>). Tested before any
// libc header, the macro was undefined and this function compiled to a bare return.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

namespace b3s::core {

bool releaseFreedHeap() noexcept {
#if defined(__GLIBC__)
    return malloc_trim(0) == 1;
#else
    return false;
#endif
}

}  // namespace b3s::core
