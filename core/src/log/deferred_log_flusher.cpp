#include "log/deferred_log_flusher.hpp"

#include "log/log_sink.hpp"

namespace b3s::core::log {

DeferredLogFlusher::DeferredLogFlusher(std::chrono::milliseconds interval)
    : thread_([this, interval](std::stop_token stop) {
          std::unique_lock lock(mutex_);
          while (!stop.stop_requested()) {
              wake_.wait_for(lock, stop, interval, [] { return false; });
              LogSink::instance().flushDeferred();
          }
      }) {}

DeferredLogFlusher::~DeferredLogFlusher() {
    thread_.request_stop();
    thread_.join();
    LogSink::instance().flushDeferred();
}

}  // namespace b3s::core::log
