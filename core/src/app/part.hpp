#pragma once
// The server is a stack of named parts. A part acquires what it owns when it is constructed
// (a store, plugins, a bound socket), starts its threads in start() and stops them in stop();
// its destructor releases the rest. PartStack starts parts in the order they are added and
// stops and destroys them in the reverse order — also when a later part fails to start — so
// nothing is used after the part that owns it is gone, whatever the failure.

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::core::app {

/// sysexits.h codes, so service managers and scripts can tell failures apart.
enum ExitCode : int {
    kExitOk = 0,
    kExitUnavailable = 69,  ///< the database cannot be reached
    kExitSoftware = 70,     ///< an unexpected internal error
    kExitConfig = 78,       ///< configuration, plugin or schema problem
};

/// A part could not be built or started: the operator's one fatal line (a stable event key and
/// fields, never a secret) and the process's exit code.
class StartupError : public std::runtime_error {
public:
    using Fields = std::vector<std::pair<std::string, std::string>>;
    StartupError(int exit_code, std::string event, Fields fields);

    int exitCode() const noexcept { return exit_code_; }
    const std::string& event() const noexcept { return event_; }
    const Fields& fields() const noexcept { return fields_; }

private:
    int exit_code_;
    std::string event_;
    Fields fields_;
};

class Part {
public:
    virtual ~Part() = default;
    /// A short stable name for logs ("store", "http_front", …).
    virtual std::string_view name() const = 0;
    /// Starts the part's threads or listeners. May throw StartupError.
    virtual void start() {}
    /// Stops what start() started; called once, before the destructor, in reverse start order.
    virtual void stop() noexcept {}
};

class PartStack {
public:
    PartStack() = default;
    PartStack(const PartStack&) = delete;
    PartStack& operator=(const PartStack&) = delete;
    ~PartStack() { stopAll(); }

    /// Builds a part from `args`, starts it and keeps it; returns it for the parts after it.
    /// When building or starting throws, the part is stopped and destroyed and the error goes
    /// on to the caller (whose stack then stops the parts before it, in reverse).
    template <class P, class... Args>
    P& start(Args&&... args) {
        auto part = std::make_unique<P>(std::forward<Args>(args)...);
        P& ref = *part;
        startOne(std::move(part));
        return ref;
    }

    /// Stops and destroys every part, last started first. Idempotent.
    void stopAll() noexcept;

    /// Names of the running parts, in start order.
    std::vector<std::string> running() const;

private:
    void startOne(std::unique_ptr<Part> part);

    std::vector<std::unique_ptr<Part>> parts_;
};

}  // namespace b3s::core::app
