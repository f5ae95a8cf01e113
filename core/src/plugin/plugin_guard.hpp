#pragma once
// Every call core makes into a plugin goes through the plugin's guard: a plugin that throws
// (the SDK forbids it, a bug does it anyway) is logged once per call with its kind, name and
// method, and the caller gets either a fallback value or a PluginCallError that the protocol
// layers answer in their own shape (JSON 500 "plugin_failed", BBB internalError). A plugin
// whose descriptor says it is not thread-safe gets its calls one at a time.

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace b3s::core::plugin {

/// A plugin threw; already logged. what() names the plugin and the method, never more.
class PluginCallError : public std::runtime_error {
public:
    PluginCallError(const std::string& kind, const std::string& name, std::string_view method);
};

class PluginGuard {
public:
    PluginGuard(std::string kind, std::string name, bool thread_safe);

    /// Runs `call`; a throw becomes a logged PluginCallError.
    template <class Call>
    decltype(auto) call(std::string_view method, Call&& call) const {
        auto lock = serialize();
        try {
            return std::forward<Call>(call)();
        } catch (const std::exception& e) {
            failed(method, e.what());
        } catch (...) {
            failed(method, "an exception that is not a std::exception");
        }
    }

    /// Runs `call`; a throw is logged and `fallback` returned instead.
    template <class Call, class Result>
    Result callOr(std::string_view method, Result fallback, Call&& call) const noexcept {
        try {
            return this->call(method, std::forward<Call>(call));
        } catch (...) {
            return fallback;
        }
    }

    /// Runs `call` for its effect; a throw is logged and otherwise ignored (a lost count).
    template <class Call>
    void callLogged(std::string_view method, Call&& call) const noexcept {
        try {
            this->call(method, std::forward<Call>(call));
        } catch (...) {  // NOLINT(bugprone-empty-catch): failed() logged it
        }
    }

    const std::string& kind() const noexcept { return kind_; }
    const std::string& name() const noexcept { return name_; }
    bool threadSafe() const noexcept { return !serial_; }

private:
    std::unique_lock<std::recursive_mutex> serialize() const {
        // Recursive: a serialised metrics plugin's render() asks core's sources, which may count.
        return serial_ ? std::unique_lock(*serial_) : std::unique_lock<std::recursive_mutex>();
    }
    [[noreturn]] void failed(std::string_view method, std::string_view error) const;

    std::string kind_;
    std::string name_;
    std::unique_ptr<std::recursive_mutex> serial_;  ///< only for plugins that are not thread-safe
};

}  // namespace b3s::core::plugin
