#pragma once
// Runs the real b3scaled binary as a child process with an exact environment, captures its
// stderr, learns its port from the "ready" log line and stops it with a signal.

#include "temp_dir.hpp"  // makeTempDir, for the tests that include this header

#include <b3s/support/hmac_jwt.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace b3s::test {

using Env = std::map<std::string, std::string>;

struct HttpResult {
    int status = 0;
    std::string content_type;
    std::string body;
    std::string location;       ///< Location header, empty when absent
    std::string cache_control;  ///< Cache-Control header, empty when absent
    std::string error;          ///< status 0: why no answer came (the exception's name and text)
};

/// GET/POST over loopback with a fresh connection; status 0 when the connection failed.
HttpResult httpRequest(const std::string& method, const std::string& host, int port, const std::string& path,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
/// The same with a request body of `content_type` (sent when not empty).
HttpResult httpRequest(const std::string& method, const std::string& host, int port, const std::string& path,
                       const std::string& body, const std::string& content_type,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The same with request headers (e.g. Authorization) and any method.
HttpResult httpRequest(const std::string& method, const std::string& host, int port, const std::string& path,
                       const std::string& body, const std::string& content_type,
                       const std::map<std::string, std::string>& headers,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

class B3scaledProcess {
public:
    /// `env` is the child's whole environment besides PATH/HOME/LANG (nothing is inherited,
    /// so a developer's B3SCALE_* never leaks in). `cwd` defaults to a fresh temp dir.
    B3scaledProcess(Env env, std::vector<std::string> args = {}, std::filesystem::path cwd = {});
    ~B3scaledProcess();

    /// Waits for exit; returns the exit code (128+signal when killed), nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    /// Waits until the "ready" event appears and returns the bound port (nullopt if the
    /// process exited or the timeout passed).
    std::optional<int> waitReady(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    void signal(int sig);
    bool running();

    /// Everything written to stderr so far, and its non-empty lines.
    std::string stderrText() const;
    std::vector<std::string> stderrLines() const;
    /// Everything written to stdout so far (--help-config, --version).
    std::string stdoutText() const;

    HttpResult get(const std::string& path, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
        return httpRequest("GET", "127.0.0.1", port_, path, timeout);
    }
    int port() const { return port_; }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
    std::filesystem::path work_dir_;
    std::filesystem::path stderr_path_;
    std::filesystem::path stdout_path_;
    int port_ = 0;
};

/// Runs b3scaled to completion (e.g. --migrate, --check-config) and returns exit code + process.
int runToExit(B3scaledProcess& p);

/// The B3SCALE_API_JWT_SECRET of baseEnv(), for tests that sign tokens.
inline const std::string kBaseJwtSecret = "integration-test-secret-0123456789";

/// Base environment for a b3scaled that should start: a JWT secret and port 0.
Env baseEnv();

/// An operator's REST API token (scope b3scale:admin) for a b3scaled with kBaseJwtSecret.
std::string adminToken();

/// A REST API token as b3scalectl mints them: `sub`, `scope`, `iat` = now, a random `jti`,
/// `exp` when given, signed (`algorithm`) with the admin-token key derived from `master`
/// (support::derivePurposeKey). The one place tests mint REST tokens, so they all follow
/// b3scaled's key.
std::string apiToken(const std::string& subject, const std::string& scope,
                     std::optional<std::int64_t> exp = std::nullopt, const std::string& master = kBaseJwtSecret,
                     support::JwtAlgorithm algorithm = support::JwtAlgorithm::Hs384);

/// The same claims signed with exactly `key` (no derivation): for forgeries, e.g. a token
/// signed with the master secret itself or with another purpose's key.
std::string apiTokenSignedWith(const std::string& key, const std::string& subject, const std::string& scope,
                               std::optional<std::int64_t> exp = std::nullopt,
                               support::JwtAlgorithm algorithm = support::JwtAlgorithm::Hs384);

/// The b3scaled under test (for tests that spawn it themselves), the plugin directory of the
/// build tree and the broken fixtures' directory.
std::filesystem::path b3scaledPath();
std::filesystem::path pluginDir();
std::filesystem::path fixturePluginDir();

}  // namespace b3s::test
