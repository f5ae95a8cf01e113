#pragma once
// b3scaled's signals, taken synchronously. POCO's waitForTerminationRequest() blocks SIGTERM
// in the main thread only, after the parts have started theirs, so a SIGTERM the kernel hands
// to another thread kills the process, and SIGHUP always does. Here SIGINT, SIGTERM, SIGQUIT
// and SIGHUP are blocked before any thread starts (threads inherit the mask) and taken one at
// a time with sigwait(3), in the main thread only.

namespace b3s::core::os {

class ProcessSignals {
public:
    enum class Request { Stop, Reload };
    struct Received {
        Request request;
        int signal;
    };

    /// Blocks the four signals in the calling thread. Call in the main thread before any
    /// other thread exists. Throws std::system_error.
    static void block();
    /// Waits for one of them: SIGHUP asks for a reload, the others for a stop.
    static Received wait();
    /// "SIGTERM", "SIGHUP", … for logs.
    static const char* name(int signal) noexcept;
};

}  // namespace b3s::core::os
