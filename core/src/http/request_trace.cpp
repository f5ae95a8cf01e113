#include "http/request_trace.hpp"

namespace b3s::core::http {

RequestTrace& requestTrace() noexcept {
    thread_local RequestTrace trace;
    return trace;
}

}  // namespace b3s::core::http
