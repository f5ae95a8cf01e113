#pragma once
// b3scaled's own settings, parsed once from the environment. Every variable is declared in
// the catalog (core_settings.cpp) with its default and description; plugins declare theirs
// in their descriptors.

#include "config/access_log_policy.hpp"
#include "config/address_rules.hpp"
#include "config/environment.hpp"
#include "log/log_sink.hpp"
#include "util/cidr.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::config {

/// A configuration value is unusable. what() is the one line shown to the operator:
/// the variable, the offending value (never a secret one) and what is accepted.
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string key, const std::string& message) : std::runtime_error(message), key_(std::move(key)) {}
    const std::string& key() const noexcept { return key_; }

private:
    std::string key_;
};

/// One variable read by b3scaled itself (not by a plugin).
struct CoreKey {
    const char* name;
    const char* default_value;  ///< nullptr: unset by default (meaning described)
    const char* description;
    bool secret;
};
const std::vector<CoreKey>& coreKeys();

/// Variables of b3scale (Go) that this b3scaled does not implement. They are accepted (an
/// operator's b3scale env file keeps working) and b3scaled warns at start when one of them
/// asks for the feature.
struct RetiredKey {
    const char* name;
    const char* note;  ///< what b3scaled does instead, for the warning
};
const std::vector<RetiredKey>& retiredKeys();
/// false for the values that ask for nothing (false, 0, no, off; any case).
bool asksForRetiredFeature(std::string_view value);

/// Variables used by b3scale's other programs (agent, CLI, tests) that b3scaled ignores
/// without warning.
const std::vector<std::string>& foreignKeys();

struct ListenAddress {
    std::string host;
    std::uint16_t port = 0;
    std::string toString() const;
};

/// How plugins of one kind are chosen.
struct PluginSelection {
    std::string kind;      ///< "balancer", "auth", "metrics", "recordings"
    std::string name;      ///< plugin name, or empty for the built-in no-op object
    std::string variable;  ///< B3SCALE_<KIND>_PLUGIN
};

struct CoreSettings {
    std::string db_url;  ///< postgres://…, key=value, or sqlite:///path (the default)
    bool db_url_is_default = false;
    int db_pool_size = 128;
    int db_connect_timeout_s = 5;
    int cmd_worker_pool_size = 16;
    ListenAddress listen{"127.0.0.1", 42352};
    log::LogLevel log_level = log::LogLevel::Info;
    log::LogFormat log_format = log::LogFormat::Structured;
    std::string api_url;  ///< public base URL of this b3scale, without trailing slash
    bool api_url_is_default = false;
    int http_request_timeout_s = 60;
    int http_read_header_timeout_s = 5;
    int http_write_timeout_s = 60;
    int http_idle_timeout_s = 120;
    int http_max_threads = 64;
    int http_max_connections = 20000;                           ///< B3SCALE_HTTP_MAX_CONNECTIONS
    std::int64_t http_body_memory_bytes = 256LL * 1024 * 1024;  ///< B3SCALE_HTTP_BODY_MEMORY_MB
    /// B3SCALE_TRUSTED_PROXIES: whose X-Forwarded-For names the client (loopback: nginx).
    std::vector<util::CidrRange> trusted_proxies;
    int shutdown_grace_s = 15;
    int bbb_max_query_bytes = 16000;
    int bbb_max_body_bytes = 32 * 1024 * 1024;
    /// B3SCALE_BBB_CHECKSUM_ALGORITHMS: the checksums frontends may sign with, bbb-web's
    /// names in lower case (sha1, sha256, sha384, sha512), each once.
    std::vector<std::string> bbb_checksum_algorithms = {"sha1", "sha256", "sha384", "sha512"};
    bool bbb_accept_form_bodies = true;  ///< B3SCALE_BBB_ACCEPT_FORM_BODIES
    std::string jwt_secret;              ///< B3SCALE_API_JWT_SECRET; never logged
    /// B3SCALE_API_JWT_SECRET_PREVIOUS: the replaced master during a rotation, accepted for
    /// verification only; empty = none. Never logged.
    std::string jwt_secret_previous;
    int backend_connect_timeout_ms = 3000;
    int backend_response_timeout_ms = 20'000;
    int backend_max_calls = 32;      ///< B3SCALE_BACKEND_MAX_CALLS: per backend, per instance
    int backend_call_wait_ms = 100;  ///< B3SCALE_BACKEND_CALL_WAIT_MS
    int get_meetings_timeout_ms = 5000;
    int join_check_timeout_ms = 1000;      ///< B3SCALE_JOIN_CHECK_TIMEOUT_MS
    int callback_token_ttl_s = 1'209'600;  ///< 14 days
    // Where callbacks to frontends may go (callbacks/callback_url_policy.hpp).
    std::vector<AddressRule> callback_allow;  ///< B3SCALE_CALLBACK_ALLOW
    std::vector<AddressRule> callback_deny;   ///< B3SCALE_CALLBACK_DENY
    // The callback outbox (callbacks/callback_outbox.hpp).
    int callback_workers = 8;
    int callback_per_frontend = 2;
    std::chrono::milliseconds callback_timeout{10'000};
    int callback_max_attempts = 5;
    std::chrono::milliseconds callback_dead_letter_retention{14LL * 24 * 3'600'000};
    /// B3SCALE_CALLBACK_GRACE: how long after its meeting ended a callback token still counts
    std::chrono::milliseconds callback_grace{24 * 3'600'000};
    // The cluster controller (core/src/cluster/cluster_controller.hpp).
    std::chrono::milliseconds poll_interval{5000};
    std::chrono::milliseconds poll_retry_interval{1000};
    int poll_timeout_ms = 4000;
    int poll_fail_count = 3;
    int poll_recover_count = 2;
    std::chrono::milliseconds lost_meeting_retention{12 * 3'600'000};
    std::chrono::milliseconds agent_heartbeat_timeout{5000};
    std::chrono::milliseconds agent_poll_interval{30000};  ///< B3SCALE_AGENT_POLL_INTERVAL
    AccessLogPolicy access_log;                            ///< B3SCALE_ACCESS_LOG
    bool metrics_per_meeting = true;                       ///< B3SCALE_PER_MEETING_METRICS
    /// B3SCALE_METRICS_TOKEN: /metrics wants `Authorization: Bearer <it>`; empty: open. Never logged.
    std::string metrics_token;
    /// B3SCALE_METRICS_LISTEN: /metrics on this address only (not on `listen`); unset: on `listen`.
    std::optional<ListenAddress> metrics_listen;
    // Recordings, core's side (the files are the recordings plugin's).
    std::chrono::milliseconds recordings_inbox_scan_interval{10'000};  ///< 0: no inbox watcher
    std::string recordings_cookie_domain;  ///< B3SCALE_RECORDINGS_COOKIE_DOMAIN; empty: derived
    std::chrono::milliseconds recordings_link_ttl{3'600'000};
    std::chrono::milliseconds recordings_cookie_ttl{8 * 3'600'000};
    // The load factors a node agent may give its own backend (operators: any finite >= 0).
    double node_load_factor_min = 0.5;  ///< B3SCALE_NODE_LOAD_FACTOR_MIN, > 0
    double node_load_factor_max = 10;   ///< B3SCALE_NODE_LOAD_FACTOR_MAX, >= min
    std::filesystem::path plugin_dir;
    std::vector<PluginSelection> plugins;  ///< in load order; released in reverse
};

/// B3SCALE_LOG_FORMAT and B3SCALE_LOG_LEVEL, parsed before anything else so that every later
/// error is logged in the chosen format. Throws ConfigError.
log::LogFormat parseLogFormatSetting(const Environment& env);
log::LogLevel parseLogLevelSetting(const Environment& env);
/// B3SCALE_ACCESS_LOG (also re-read on SIGHUP). Throws ConfigError.
AccessLogPolicy parseAccessLogSetting(const Environment& env);

/// B3SCALE_PLUGIN_DIR, or <executable_dir>/../plugins in a build tree, or the installed
/// plugin directory. Throws ConfigError when B3SCALE_PLUGIN_DIR is not a directory.
std::filesystem::path parsePluginDir(const Environment& env, const std::filesystem::path& executable_dir);

/// Parses and validates everything. `executable_dir` is where b3scaled lives (to find
/// plugins in a build tree). Throws ConfigError naming the first bad variable.
CoreSettings parseCoreSettings(const Environment& env, const std::filesystem::path& executable_dir);

/// B3SCALE_* variables set in `env` that neither b3scaled, nor the given plugin key
/// lists, nor b3scale's other programs read: candidates for a typo warning.
std::vector<std::string> unclaimedKeys(const Environment& env, const std::vector<std::string>& plugin_keys);

}  // namespace b3s::core::config
