#include "util/heap_trim.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace b3s::core {

void releaseFreedHeap() noexcept {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace b3s::core
