#include "config/core_settings.hpp"

#include "config/access_log_policy.hpp"

#include "store/database_url.hpp"
#include "util/ascii.hpp"

#include <b3s/generated/build_info.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>

namespace b3s::core::config {
namespace {

constexpr const char* kDbUrl = "B3SCALE_DB_URL";
constexpr const char* kDbPoolSize = "B3SCALE_DB_POOL_SIZE";
constexpr const char* kDbConnectTimeout = "B3SCALE_DB_CONNECT_TIMEOUT";
constexpr const char* kCmdWorkers = "B3SCALE_CMD_WORKER_POOL_SIZE";
constexpr const char* kListen = "B3SCALE_LISTEN_HTTP";
constexpr const char* kLogLevel = "B3SCALE_LOG_LEVEL";
constexpr const char* kLogFormat = "B3SCALE_LOG_FORMAT";
constexpr const char* kReverseProxy = "B3SCALE_REVERSE_PROXY_MODE";
constexpr const char* kApiUrl = "B3SCALE_API_URL";
constexpr const char* kRequestTimeout = "B3SCALE_HTTP_REQUEST_TIMEOUT";
constexpr const char* kReadHeaderTimeout = "B3SCALE_HTTP_READ_HEADER_TIMEOUT";
constexpr const char* kWriteTimeout = "B3SCALE_HTTP_WRITE_TIMEOUT";
constexpr const char* kIdleTimeout = "B3SCALE_HTTP_IDLE_TIMEOUT";
constexpr const char* kMaxThreads = "B3SCALE_HTTP_MAX_THREADS";
constexpr const char* kMaxConnections = "B3SCALE_HTTP_MAX_CONNECTIONS";
constexpr const char* kBodyMemory = "B3SCALE_HTTP_BODY_MEMORY_MB";
constexpr const char* kTrustedProxies = "B3SCALE_TRUSTED_PROXIES";
constexpr const char* kShutdownGrace = "B3SCALE_SHUTDOWN_GRACE";
constexpr const char* kPluginDir = "B3SCALE_PLUGIN_DIR";
constexpr const char* kBbbMaxQuery = "B3SCALE_BBB_MAX_QUERY_BYTES";
constexpr const char* kBbbMaxBody = "B3SCALE_BBB_MAX_BODY_BYTES";
constexpr const char* kBbbChecksumAlgorithms = "B3SCALE_BBB_CHECKSUM_ALGORITHMS";
constexpr const char* kBbbAcceptFormBodies = "B3SCALE_BBB_ACCEPT_FORM_BODIES";
constexpr const char* kJwtSecret = "B3SCALE_API_JWT_SECRET";
constexpr const char* kJwtSecretPrevious = "B3SCALE_API_JWT_SECRET_PREVIOUS";
constexpr const char* kBackendConnectTimeout = "B3SCALE_BACKEND_CONNECT_TIMEOUT_MS";
constexpr const char* kBackendResponseTimeout = "B3SCALE_BACKEND_RESPONSE_TIMEOUT_MS";
constexpr const char* kBackendMaxCalls = "B3SCALE_BACKEND_MAX_CALLS";
constexpr const char* kBackendCallWait = "B3SCALE_BACKEND_CALL_WAIT_MS";
constexpr const char* kGetMeetingsTimeout = "B3SCALE_GET_MEETINGS_TIMEOUT_MS";
constexpr const char* kJoinCheckTimeout = "B3SCALE_JOIN_CHECK_TIMEOUT_MS";
constexpr const char* kCallbackTokenTtl = "B3SCALE_CALLBACK_TOKEN_TTL";
constexpr const char* kCallbackAllow = "B3SCALE_CALLBACK_ALLOW";
constexpr const char* kCallbackDeny = "B3SCALE_CALLBACK_DENY";
constexpr const char* kCallbackWorkers = "B3SCALE_CALLBACK_WORKERS";
constexpr const char* kCallbackPerFrontend = "B3SCALE_CALLBACK_PER_FRONTEND";
constexpr const char* kCallbackTimeout = "B3SCALE_CALLBACK_TIMEOUT";
constexpr const char* kCallbackMaxAttempts = "B3SCALE_CALLBACK_MAX_ATTEMPTS";
constexpr const char* kCallbackDeadLetterRetention = "B3SCALE_CALLBACK_DEAD_LETTER_RETENTION";
constexpr const char* kCallbackGrace = "B3SCALE_CALLBACK_GRACE";
constexpr const char* kPollInterval = "B3SCALE_POLL_INTERVAL";
constexpr const char* kPollRetryInterval = "B3SCALE_POLL_RETRY_INTERVAL";
constexpr const char* kPollTimeout = "B3SCALE_POLL_TIMEOUT_MS";
constexpr const char* kPollFailCount = "B3SCALE_POLL_FAIL_COUNT";
constexpr const char* kPollRecoverCount = "B3SCALE_POLL_RECOVER_COUNT";
constexpr const char* kLostMeetingRetention = "B3SCALE_LOST_MEETING_RETENTION";
constexpr const char* kAgentHeartbeatTimeout = "B3SCALE_AGENT_HEARTBEAT_TIMEOUT";
constexpr const char* kAgentPollInterval = "B3SCALE_AGENT_POLL_INTERVAL";
constexpr const char* kAccessLog = "B3SCALE_ACCESS_LOG";
constexpr const char* kMetricsPerMeeting = "B3SCALE_PER_MEETING_METRICS";
constexpr const char* kMetricsToken = "B3SCALE_METRICS_TOKEN";
constexpr const char* kMetricsListen = "B3SCALE_METRICS_LISTEN";
constexpr std::size_t kMinMetricsTokenBytes = 32;
constexpr const char* kInboxScanInterval = "B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL";
constexpr const char* kCookieDomain = "B3SCALE_RECORDINGS_COOKIE_DOMAIN";
constexpr const char* kProtectedLinkTtl = "B3SCALE_RECORDINGS_PROTECTED_LINK_TTL";
constexpr const char* kProtectedCookieTtl = "B3SCALE_RECORDINGS_PROTECTED_COOKIE_TTL";
constexpr const char* kNodeLoadFactorMin = "B3SCALE_NODE_LOAD_FACTOR_MIN";
constexpr const char* kNodeLoadFactorMax = "B3SCALE_NODE_LOAD_FACTOR_MAX";

/// How each plugin kind is selected. Names appear here only as documented defaults.
struct KindPolicy {
    const char* kind;
    const char* variable;
    const char* default_name;
    bool required;              ///< "none" is refused
    bool only_when_configured;  ///< loaded only if a B3SCALE_<KIND>_* variable is set
};
constexpr KindPolicy kKinds[] = {
    {"balancer", "B3SCALE_BALANCER_PLUGIN", "least_load", true, false},
    {"auth", "B3SCALE_AUTH_PLUGIN", "jwt", true, false},
    {"recordings", "B3SCALE_RECORDINGS_PLUGIN", "filesystem", false, true},
    {"metrics", "B3SCALE_METRICS_PLUGIN", "prometheus", false, false},
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}

int parseInt(const Environment& env, const char* key, int fallback, int min, int max) {
    auto value = env.get(key);
    if (!value) return fallback;
    int parsed = 0;
    auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
    if (ec != std::errc() || ptr != value->data() + value->size() || parsed < min || parsed > max)
        throw ConfigError(key,
                          fmt::format("{}={:?} is invalid: use a whole number from {} to {}", key, *value, min, max));
    return parsed;
}

// A finite decimal number in (min_exclusive, max].
double parseNumber(const Environment& env, const char* key, double fallback, double min_exclusive, double max) {
    auto value = env.get(key);
    if (!value) return fallback;
    double parsed = 0;
    auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
    if (ec != std::errc() || ptr != value->data() + value->size() || !(parsed > min_exclusive && parsed <= max))
        throw ConfigError(key, fmt::format("{}={:?} is invalid: use a number greater than {} and at most {}", key,
                                           *value, min_exclusive, max));
    return parsed;
}

// A duration: a number with an optional unit (ms, s, m, h, d); a bare number is seconds, as in
// b3scale's other timing variables. Fractions are allowed ("0.5" = 500 ms).
std::chrono::milliseconds parseDuration(const Environment& env, const char* key, std::chrono::milliseconds fallback,
                                        std::chrono::milliseconds min, std::chrono::milliseconds max) {
    auto value = env.get(key);
    if (!value) return fallback;
    auto invalid = [&] {
        return ConfigError(key, fmt::format("{}={:?} is invalid: use a duration from {} ms to {} s, e.g. 5s, 500ms, "
                                            "2m or a number of seconds",
                                            key, *value, min.count(), max.count() / 1000));
    };
    const std::string& v = *value;
    std::size_t digits = 0;
    while (digits < v.size() && (std::isdigit(static_cast<unsigned char>(v[digits])) || v[digits] == '.')) ++digits;
    if (digits == 0) throw invalid();
    double number = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + digits, number);
    if (ec != std::errc() || ptr != v.data() + digits) throw invalid();
    const std::string unit = lower(v.substr(digits));
    double factor_ms = 0;
    if (unit.empty() || unit == "s")
        factor_ms = 1000;
    else if (unit == "ms")
        factor_ms = 1;
    else if (unit == "m" || unit == "min")
        factor_ms = 60'000;
    else if (unit == "h")
        factor_ms = 3'600'000;
    else if (unit == "d")
        factor_ms = 86'400'000;
    else
        throw invalid();
    const double ms = number * factor_ms;
    if (!(ms >= static_cast<double>(min.count()) && ms <= static_cast<double>(max.count()))) throw invalid();
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

bool parseBool(const Environment& env, const char* key, bool fallback) {
    auto value = env.get(key);
    if (!value) return fallback;
    std::string v = lower(*value);
    if (v == "true" || v == "yes" || v == "1" || v == "on") return true;
    if (v == "false" || v == "no" || v == "0" || v == "off") return false;
    throw ConfigError(key, fmt::format("{}={:?} is invalid: use true, false, yes, no, 1 or 0", key, *value));
}

ListenAddress parseListenAddress(const char* key, const std::string& value) {
    auto invalid = [&] {
        return ConfigError(key, fmt::format("{}={:?} is invalid: use host:port, e.g. 127.0.0.1:42352 "
                                            "or [::1]:42352 (port 0 picks a free port)",
                                            key, value));
    };
    auto colon = value.rfind(':');
    if (colon == std::string::npos) throw invalid();
    std::string host = value.substr(0, colon);
    std::string port_text = value.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    else if (host.find(':') != std::string::npos)
        throw invalid();
    if (host.empty()) host = "0.0.0.0";
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535)
        throw invalid();
    return {host, static_cast<std::uint16_t>(port)};
}

ListenAddress parseListen(const Environment& env) {
    return parseListenAddress(kListen, env.get(kListen).value_or("127.0.0.1:42352"));
}

// A bearer token in a header: long enough not to be guessed, nothing a header cannot carry.
std::string parseMetricsToken(const Environment& env) {
    const auto token = env.get(kMetricsToken);
    if (!token) return {};
    const bool printable =
        std::all_of(token->begin(), token->end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    if (token->size() < kMinMetricsTokenBytes || !printable)
        throw ConfigError(kMetricsToken, fmt::format("{} is invalid: use at least {} printable characters without "
                                                     "spaces, e.g. `openssl rand -hex 32`",
                                                     kMetricsToken, kMinMetricsTokenBytes));
    return *token;
}

// The replaced master during a rotation: the master's length rule, and never the master
// itself (that would be a rotation that rotates nothing, most likely a copy-and-paste slip).
std::string parseJwtSecretPrevious(const Environment& env, const std::string& current) {
    auto previous = env.get(kJwtSecretPrevious).value_or("");
    if (previous.empty()) return {};
    if (const auto problem = support::secretLengthProblem(kJwtSecretPrevious, previous); !problem.empty())
        throw ConfigError(kJwtSecretPrevious, problem);
    if (previous == current)
        throw ConfigError(kJwtSecretPrevious,
                          fmt::format("{} is the same as {}: set it to the secret that was replaced, or unset it "
                                      "when no rotation is under way",
                                      kJwtSecretPrevious, kJwtSecret));
    return previous;
}

// bbb-web's supportedChecksumAlgorithms: a comma list of its names, any case, each once.
std::vector<std::string> parseChecksumAlgorithms(const Environment& env) {
    static const std::vector<std::string> kKnown = {"sha1", "sha256", "sha384", "sha512"};
    auto value = env.get(kBbbChecksumAlgorithms);
    if (!value) return kKnown;
    auto invalid = [&] {
        return ConfigError(kBbbChecksumAlgorithms,
                           fmt::format("{}={:?} is invalid: use a comma-separated list of sha1, sha256, sha384 and "
                                       "sha512, e.g. sha256,sha384,sha512",
                                       kBbbChecksumAlgorithms, *value));
    };
    std::vector<std::string> chosen;
    std::size_t start = 0;
    while (start <= value->size()) {
        const auto end = std::min(value->find(',', start), value->size());
        std::string name = lower(value->substr(start, end - start));
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        if (std::find(kKnown.begin(), kKnown.end(), name) == kKnown.end()) throw invalid();
        if (std::find(chosen.begin(), chosen.end(), name) == chosen.end()) chosen.push_back(std::move(name));
        start = end + 1;
    }
    return chosen;
}

std::string defaultSqliteUrl(const Environment& env) {
    // systemd's StateDirectory= sets STATE_DIRECTORY (possibly a ':'-separated list).
    std::string dir = "/var/lib/b3scale";
    if (auto state = env.get("STATE_DIRECTORY")) dir = state->substr(0, state->find(':'));
    return "sqlite://" + dir + "/b3scale.db";
}

std::string parseDbUrl(const Environment& env, bool& is_default) {
    auto url = env.get(kDbUrl);
    is_default = !url;
    if (!url) return defaultSqliteUrl(env);
    const std::string& u = *url;
    bool known = u.starts_with("postgres://") || u.starts_with("postgresql://") || u.starts_with("sqlite://") ||
                 u.find('=') != std::string::npos;
    if (!known)
        throw ConfigError(kDbUrl, fmt::format("{}={:?} is invalid: use postgres://user:password@host:port/db, "
                                              "a libpq key=value string, or sqlite:///path/to/b3scale.db",
                                              kDbUrl, store::maskDatabaseUrl(u)));
    return u;
}

std::string parseApiUrl(const Environment& env, const ListenAddress& listen, bool& is_default) {
    auto url = env.get(kApiUrl);
    is_default = !url;
    if (!url) return "http://" + listen.toString();
    std::string u = *url;
    if (!(u.starts_with("http://") || u.starts_with("https://")) || u.size() <= 8)
        throw ConfigError(kApiUrl, fmt::format("{}={:?} is invalid: use the public base URL of b3scale, "
                                               "e.g. https://b3scale.example.org",
                                               kApiUrl, u));
    while (u.ends_with('/')) u.pop_back();
    return u;
}

std::vector<AddressRule> parseCallbackRules(const Environment& env, const char* key) {
    const auto value = env.get(key);
    if (!value) return {};
    std::string error;
    auto rules = parseAddressRules(*value, error);
    if (!rules) throw ConfigError(key, fmt::format("{}={:?} is invalid: {}", key, *value, error));
    return std::move(*rules);
}

std::vector<PluginSelection> parsePlugins(const Environment& env) {
    std::vector<PluginSelection> selections;
    for (const auto& k : kKinds) {
        std::string name;
        auto chosen = env.get(k.variable);
        if (chosen) {
            name = *chosen;
        } else if (k.only_when_configured) {
            auto prefix = "B3SCALE_" + upper(k.kind) + "_";
            bool configured = !env.keysWithPrefix(prefix).empty();
            name = configured ? k.default_name : "none";
        } else {
            name = k.default_name;
        }
        if (name == "none") {
            if (k.required)
                throw ConfigError(k.variable, fmt::format("{}=none is invalid: a {} plugin is required "
                                                          "(default {})",
                                                          k.variable, k.kind, k.default_name));
            name.clear();
        }
        selections.push_back({k.kind, name, k.variable});
    }
    return selections;
}

}  // namespace

std::filesystem::path parsePluginDir(const Environment& env, const std::filesystem::path& executable_dir) {
    namespace fs = std::filesystem;
    if (auto dir = env.get(kPluginDir)) {
        std::error_code ec;
        if (!fs::is_directory(*dir, ec))
            throw ConfigError(kPluginDir, fmt::format("{}={:?} is invalid: it is not a directory", kPluginDir, *dir));
        return fs::path(*dir);
    }
    // Started from a build tree: build/bin/b3scaled next to build/plugins/.
    std::error_code ec;
    fs::path beside = executable_dir / ".." / "plugins";
    if (!executable_dir.empty() && fs::is_directory(beside, ec)) return fs::weakly_canonical(beside, ec);
    return fs::path(build::kPluginInstallDir);
}

std::string ListenAddress::toString() const {
    if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
    return fmt::format("{}:{}", host, port);
}

const std::vector<CoreKey>& coreKeys() {
    static const std::vector<CoreKey> keys = {
        {kDbUrl, nullptr,
         "Database: postgres://user:password@host:5432/b3scale (required for several instances) or "
         "sqlite:///path/b3scale.db; unset = embedded SQLite in $STATE_DIRECTORY or /var/lib/b3scale",
         true},
        {kDbPoolSize, "128", "Maximum database connections of this process", false},
        {kDbConnectTimeout, "5", "Seconds to wait for a database connection to open", false},
        {kCmdWorkers, "16", "Background workers of this process: backend polls (and commands) it runs at once", false},
        {kListen, "127.0.0.1:42352", "HTTP listen address host:port", false},
        {kLogLevel, "info", "trace, debug, info, warn, error, fatal, panic or -1 … 5", false},
        {kLogFormat, "structured", "structured (JSON lines on stderr) or plain (text)", false},
        {kApiUrl, nullptr,
         "Public base URL of this b3scale (callback and recording links); unset = http://<listen address>", false},
        {kRequestTimeout, "60", "Seconds from a request's first byte until its body is complete (then 408 and close)",
         false},
        {kReadHeaderTimeout, "5",
         "Seconds from a request's first byte until its headers are complete (then 408 and close)", false},
        {kWriteTimeout, "60", "Seconds to send a response before the connection is closed", false},
        {kIdleTimeout, "120", "Seconds an idle keep-alive connection stays open", false},
        {kMaxThreads, "64", "Threads running request handlers (connections need none while they wait)", false},
        {kMaxConnections, "20000",
         "Open client connections at most; one beyond it gets a 503 and is closed (needs as many file "
         "descriptors: the unit's LimitNOFILE)",
         false},
        {kTrustedProxies, "127.0.0.1/32,::1/128",
         "Proxies (CIDRs, comma-separated) whose X-Forwarded-For names the client in the access log and security "
         "events; none: the TCP peer always",
         false},
        {kBodyMemory, "256",
         "MiB of request bodies all connections together may hold while they arrive; a request beyond it "
         "gets a 503",
         false},
        {kShutdownGrace, "15", "Seconds to finish in-flight requests after SIGTERM", false},
        {kBbbMaxQuery, "16000",
         "Largest BBB API query string accepted (bytes, at most 16000: POCO reads request lines up to 16 KiB); a "
         "longer one, even past 16 KiB, gets a FAILED answer (validationError)",
         false},
        {kBbbMaxBody, "33554432", "Largest BBB API request body accepted (bytes), e.g. a create with a presentation",
         false},
        {kBbbChecksumAlgorithms, "sha1,sha256,sha384,sha512",
         "Checksum algorithms frontends may sign BBB API calls with (bbb-web's supportedChecksumAlgorithms); a call "
         "signed with another one gets checksumError, e.g. sha256,sha384,sha512 refuses SHA-1",
         false},
        {kBbbAcceptFormBodies, "true",
         "Accept BBB API parameters in a form-encoded POST body, as bbb-web does; the checksum covers only the URL "
         "query, not the body; false answers such calls FAILED (unsupportedContentType); XML bodies stay allowed",
         false},
        {kJwtSecret, nullptr,
         "Master secret (required, at least 32 bytes; e.g. `openssl rand -hex 32`): REST API tokens, callback-proxy "
         "URLs, retry-join links and recording links are signed with keys derived from it, one per purpose",
         true},
        {kJwtSecretPrevious, nullptr,
         "The master secret B3SCALE_API_JWT_SECRET replaced, while a rotation is under way (at least 32 bytes, not "
         "the current one): what its keys signed is still accepted, nothing is signed with it; unset = none",
         true},
        {kBackendConnectTimeout, "3000", "Milliseconds to open a connection to a BBB backend", false},
        {kBackendResponseTimeout, "20000", "Milliseconds a BBB backend may take to answer a forwarded call", false},
        {kBackendMaxCalls, "32",
         "Forwarded calls to one backend in flight at once (per instance): a backend that stops answering holds "
         "this many handler threads at most",
         false},
        {kBackendCallWait, "100",
         "Milliseconds a forwarded call waits for one of those places, else the caller gets a FAILED answer "
         "(the backend did not answer in time)",
         false},
        {kGetMeetingsTimeout, "5000",
         "Milliseconds each backend may take in a getMeetings fan-out; a slower one costs its meetings, not the answer",
         false},
        {kJoinCheckTimeout, "1000",
         "Milliseconds a suspect backend (it failed its last poll or a call since) may take to answer the check "
         "before a join is sent there; no answer in time: the meeting is re-created on another backend",
         false},
        {kCallbackTokenTtl, "1209600",
         "Seconds a callback-proxy URL handed to a backend stays valid at most (end and recording-ready callbacks)",
         false},
        {kCallbackGrace, "24h",
         "How long after b3scale saw a meeting end its callback-proxy URLs are still honoured (a duration, 1s to "
         "30 days): long enough for the recording-ready callback after processing",
         false},
        {kCallbackAllow, nullptr,
         "Where callbacks to frontends may go although refused by default (loopback, private, link-local, CGNAT, "
         "multicast addresses): comma-separated addresses or CIDR networks, host names or *.domain, each with an "
         "optional :port (IPv6 in brackets), e.g. 10.1.2.3:8443,[fd00::/8]:443,hooks.internal.example",
         false},
        {kCallbackDeny, nullptr,
         "Where callbacks to frontends never go, over B3SCALE_CALLBACK_ALLOW and the defaults (same entries)", false},
        {kCallbackWorkers, "8", "Callbacks to frontends this process attempts at once", false},
        {kCallbackPerFrontend, "2",
         "Callbacks of one frontend in flight at once, cluster-wide: a frontend that is slow or never answers holds "
         "no more than this many, never another frontend's",
         false},
        {kCallbackTimeout, "10s", "How long one callback attempt may take (a duration)", false},
        {kCallbackMaxAttempts, "5",
         "Attempts per callback, retried 2, 4, 8, 16 … s apart; then it is a dead letter (GET /api/v1/callbacks?"
         "state=dead)",
         false},
        {kCallbackDeadLetterRetention, "14d", "How long dead letters are kept (a duration: 14d, 336h)", false},
        {kPollInterval, "5s",
         "How often each backend is polled (getMeetings) for health, load and its meeting list, cluster-wide: "
         "several instances share the work (a duration: 5s, 500ms, 1m)",
         false},
        {kPollRetryInterval, "1s", "How soon a backend whose last poll failed is polled again (a duration)", false},
        {kPollTimeout, "4000", "Milliseconds a backend may take to answer a poll; slower counts as a failure", false},
        {kPollFailCount, "3",
         "Consecutive failed polls that make a backend offline (its meetings are then re-created "
         "elsewhere on their next create or join)",
         false},
        {kPollRecoverCount, "2", "Consecutive successful polls that make an unstable or offline backend ready again",
         false},
        {kLostMeetingRetention, "12h",
         "How long a meeting lost with its backend is remembered for re-creation on its next create or join (a "
         "duration)",
         false},
        {kAgentHeartbeatTimeout, "5s",
         "A backend whose node agent has not sent a heartbeat for this long is polled at once (a duration); "
         "backends without an agent are not affected",
         false},
        {kAgentPollInterval, "30s",
         "How often a healthy backend is polled while its node agent's heartbeat is fresh and reports its "
         "attendees (a duration; at most B3SCALE_POLL_INTERVAL means as often as any other)",
         false},
        {kAccessLog, "all",
         "Which requests get an access-log line: all, errors (status >= 400), off, or a fraction such as 0.01 "
         "(sampled; server errors always)",
         false},
        {kMetricsPerMeeting, "true",
         "Export the per-meeting metric families (b3scale_meeting_attendees, b3scale_meeting_durations); false for "
         "large clusters",
         false},
        {kMetricsToken, nullptr,
         "Bearer token GET /metrics must present (Authorization: Bearer <token>, at least 32 characters); unset = "
         "/metrics is open to whoever reaches it",
         true},
        {kMetricsListen, nullptr,
         "Serve GET /metrics on this host:port only (not on B3SCALE_LISTEN_HTTP), e.g. an address only Prometheus "
         "reaches; unset = on B3SCALE_LISTEN_HTTP",
         false},
        {kInboxScanInterval, "10s",
         "How often the recordings inbox is scanned for what BBB nodes published (a duration; 0 = never: imports "
         "come only through POST /api/v1/recordings-import)",
         false},
        {kCookieDomain, nullptr,
         "Domain of the protected-playback cookie; unset = the longest parent domain the API host and the playback "
         "host share",
         false},
        {kProtectedLinkTtl, "1h", "How long a protected recording's link in a getRecordings answer stays valid", false},
        {kProtectedCookieTtl, "8h", "How long the cookie a protected-recording link sets opens that recording", false},
        {kNodeLoadFactorMin, "0.5",
         "Smallest load factor a node agent may give its own backend (registration and PATCH; > 0, operators are not "
         "bounded): a node cannot make itself the cheapest choice for every meeting",
         false},
        {kNodeLoadFactorMax, "10", "Largest load factor a node agent may give its own backend (>= the minimum)", false},
        {kPluginDir, nullptr,
         "Directory of plugin libraries; unset = <b3scaled dir>/../plugins or the installed plugin directory", false},
        {"B3SCALE_BALANCER_PLUGIN", "least_load", "Balancer plugin (required)", false},
        {"B3SCALE_AUTH_PLUGIN", "jwt", "REST API auth plugin (required)", false},
        {"B3SCALE_RECORDINGS_PLUGIN", "filesystem",
         "Recordings plugin; loaded only when a B3SCALE_RECORDINGS_* variable is set; none = off", false},
        {"B3SCALE_METRICS_PLUGIN", "prometheus", "Metrics plugin serving /metrics; none = off", false},
    };
    return keys;
}

const std::vector<RetiredKey>& retiredKeys() {
    static const std::vector<RetiredKey> keys = {
        {kReverseProxy,
         "b3scale's experimental join proxying is not implemented: joins are redirects to the meeting's backend, "
         "which browsers must reach directly (MIGRATING.md)"},
    };
    return keys;
}

bool asksForRetiredFeature(std::string_view value) {
    static constexpr std::array<std::string_view, 4> kOff = {"false", "0", "no", "off"};
    return std::none_of(kOff.begin(), kOff.end(),
                        [&](std::string_view off) { return equalsIgnoreAsciiCase(value, off); });
}

std::vector<util::CidrRange> parseTrustedProxies(const Environment& env) {
    const auto value = env.get(kTrustedProxies);
    if (!value) return *util::parseCidrList("127.0.0.1/32,::1/128");
    if (*value == "none") return {};
    std::string bad;
    auto ranges = util::parseCidrList(*value, &bad);
    if (!ranges)
        throw ConfigError(kTrustedProxies, "'" + bad + "' is no address or CIDR range; expected e.g. 10.0.0.0/8,::1");
    return *ranges;
}

const std::vector<std::string>& foreignKeys() {
    // b3scalectl's and b3scaleagent's (an env file may be shared), and the tests'.
    static const std::vector<std::string> keys = {"B3SCALE_API_ACCESS_TOKEN", "B3SCALE_LOAD_FACTOR",
                                                  "B3SCALE_AGENT_HOST_FIGURES", "B3SCALE_AGENT_OPTIONS",
                                                  "B3SCALE_TEST_DB_URL"};
    return keys;
}

log::LogFormat parseLogFormatSetting(const Environment& env) {
    auto value = env.get(kLogFormat);
    if (!value) return log::LogFormat::Structured;
    auto parsed = log::parseLogFormat(*value);
    if (!parsed)
        throw ConfigError(kLogFormat, fmt::format("{}={:?} is invalid: use structured or plain", kLogFormat, *value));
    return *parsed;
}

log::LogLevel parseLogLevelSetting(const Environment& env) {
    auto value = env.get(kLogLevel);
    if (!value) return log::LogLevel::Info;
    auto parsed = log::parseLogLevel(*value);
    if (!parsed)
        throw ConfigError(kLogLevel, fmt::format("{}={:?} is invalid: use trace, debug, info, warn, error, "
                                                 "fatal, panic or a number from -1 to 5",
                                                 kLogLevel, *value));
    return *parsed;
}

AccessLogPolicy parseAccessLogSetting(const Environment& env) {
    const auto access = env.get(kAccessLog);
    if (!access) return {};
    const auto policy = AccessLogPolicy::parse(lower(*access));
    if (!policy)
        throw ConfigError(kAccessLog, fmt::format("{}={:?} is invalid: use all, errors, off or a fraction in (0, 1] "
                                                  "such as 0.01",
                                                  kAccessLog, *access));
    return *policy;
}

CoreSettings parseCoreSettings(const Environment& env, const std::filesystem::path& executable_dir) {
    CoreSettings s;
    s.log_format = parseLogFormatSetting(env);
    s.log_level = parseLogLevelSetting(env);
    s.db_url = parseDbUrl(env, s.db_url_is_default);
    s.db_pool_size = parseInt(env, kDbPoolSize, 128, 1, 10000);
    s.db_connect_timeout_s = parseInt(env, kDbConnectTimeout, 5, 1, 300);
    s.cmd_worker_pool_size = parseInt(env, kCmdWorkers, 16, 1, 1024);
    s.listen = parseListen(env);
    s.api_url = parseApiUrl(env, s.listen, s.api_url_is_default);
    s.http_request_timeout_s = parseInt(env, kRequestTimeout, 60, 1, 3600);
    s.http_read_header_timeout_s = parseInt(env, kReadHeaderTimeout, 5, 1, 3600);
    s.http_write_timeout_s = parseInt(env, kWriteTimeout, 60, 1, 3600);
    s.http_idle_timeout_s = parseInt(env, kIdleTimeout, 120, 1, 86400);
    s.http_max_threads = parseInt(env, kMaxThreads, 64, 2, 4096);
    s.http_max_connections = parseInt(env, kMaxConnections, 20000, 16, 1'000'000);
    s.trusted_proxies = parseTrustedProxies(env);
    s.http_body_memory_bytes = std::int64_t{parseInt(env, kBodyMemory, 256, 1, 65536)} * 1024 * 1024;
    s.shutdown_grace_s = parseInt(env, kShutdownGrace, 15, 0, 3600);
    // Longer queries get the BBB answer (FAILED, validationError) from the gateway, and from the
    // front (http_server.hpp) when the request line is beyond what it reads at all.
    s.bbb_max_query_bytes = parseInt(env, kBbbMaxQuery, 16000, 1024, 16000);
    s.bbb_max_body_bytes = parseInt(env, kBbbMaxBody, 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024);
    s.bbb_checksum_algorithms = parseChecksumAlgorithms(env);
    s.bbb_accept_form_bodies = parseBool(env, kBbbAcceptFormBodies, true);
    s.jwt_secret = env.get(kJwtSecret).value_or("");
    if (s.jwt_secret.empty())
        throw ConfigError(kJwtSecret, fmt::format("{} is not set: b3scaled signs REST API tokens, callback URLs and "
                                                  "retry-join links with it; set it to a long random value, e.g. "
                                                  "`openssl rand -hex 32`",
                                                  kJwtSecret));
    if (const auto problem = support::secretLengthProblem(kJwtSecret, s.jwt_secret); !problem.empty())
        throw ConfigError(kJwtSecret, problem);
    s.jwt_secret_previous = parseJwtSecretPrevious(env, s.jwt_secret);
    s.backend_connect_timeout_ms = parseInt(env, kBackendConnectTimeout, 3000, 50, 60'000);
    s.backend_response_timeout_ms = parseInt(env, kBackendResponseTimeout, 20'000, 50, 600'000);
    s.backend_max_calls = parseInt(env, kBackendMaxCalls, 32, 1, 10'000);
    s.backend_call_wait_ms = parseInt(env, kBackendCallWait, 100, 0, 60'000);
    s.get_meetings_timeout_ms = parseInt(env, kGetMeetingsTimeout, 5000, 50, 600'000);
    s.join_check_timeout_ms = parseInt(env, kJoinCheckTimeout, 1000, 50, 60'000);
    s.callback_token_ttl_s = parseInt(env, kCallbackTokenTtl, 1'209'600, 60, 31'536'000);
    s.callback_allow = parseCallbackRules(env, kCallbackAllow);
    s.callback_deny = parseCallbackRules(env, kCallbackDeny);
    s.callback_workers = parseInt(env, kCallbackWorkers, 8, 1, 256);
    s.callback_per_frontend = parseInt(env, kCallbackPerFrontend, 2, 1, 256);
    s.callback_max_attempts = parseInt(env, kCallbackMaxAttempts, 5, 1, 100);
    using std::chrono::milliseconds;
    s.callback_grace = parseDuration(env, kCallbackGrace, milliseconds(24 * 3'600'000), milliseconds(1000),
                                     milliseconds(30LL * 24 * 3'600'000));
    s.poll_interval = parseDuration(env, kPollInterval, milliseconds(5000), milliseconds(100), milliseconds(3'600'000));
    s.poll_retry_interval =
        parseDuration(env, kPollRetryInterval, milliseconds(1000), milliseconds(50), milliseconds(3'600'000));
    s.poll_timeout_ms = parseInt(env, kPollTimeout, 4000, 50, 600'000);
    s.poll_fail_count = parseInt(env, kPollFailCount, 3, 1, 100);
    s.poll_recover_count = parseInt(env, kPollRecoverCount, 2, 1, 100);
    s.lost_meeting_retention = parseDuration(env, kLostMeetingRetention, milliseconds(12 * 3'600'000),
                                             milliseconds(1000), milliseconds(30LL * 24 * 3'600'000));
    s.agent_heartbeat_timeout =
        parseDuration(env, kAgentHeartbeatTimeout, milliseconds(5000), milliseconds(100), milliseconds(3'600'000));
    s.agent_poll_interval =
        parseDuration(env, kAgentPollInterval, milliseconds(30000), milliseconds(100), milliseconds(3'600'000));
    s.access_log = parseAccessLogSetting(env);
    s.metrics_per_meeting = parseBool(env, kMetricsPerMeeting, true);
    s.metrics_token = parseMetricsToken(env);
    if (const auto address = env.get(kMetricsListen)) s.metrics_listen = parseListenAddress(kMetricsListen, *address);
    s.callback_timeout =
        parseDuration(env, kCallbackTimeout, milliseconds(10'000), milliseconds(100), milliseconds(600'000));
    s.callback_dead_letter_retention =
        parseDuration(env, kCallbackDeadLetterRetention, milliseconds(14LL * 24 * 3'600'000), milliseconds(60'000),
                      milliseconds(365LL * 24 * 3'600'000));
    s.recordings_inbox_scan_interval =
        parseDuration(env, kInboxScanInterval, milliseconds(10'000), milliseconds(0), milliseconds(3'600'000));
    s.recordings_cookie_domain = lower(env.get(kCookieDomain).value_or(""));
    s.recordings_link_ttl = parseDuration(env, kProtectedLinkTtl, milliseconds(3'600'000), milliseconds(10'000),
                                          milliseconds(7LL * 24 * 3'600'000));
    s.recordings_cookie_ttl = parseDuration(env, kProtectedCookieTtl, milliseconds(8 * 3'600'000), milliseconds(60'000),
                                            milliseconds(7LL * 24 * 3'600'000));
    s.node_load_factor_min = parseNumber(env, kNodeLoadFactorMin, 0.5, 0, 1e6);
    s.node_load_factor_max = parseNumber(env, kNodeLoadFactorMax, 10, 0, 1e6);
    if (s.node_load_factor_min > s.node_load_factor_max)
        throw ConfigError(kNodeLoadFactorMax,
                          fmt::format("{}={} is invalid: it must be at least {} ({})", kNodeLoadFactorMax,
                                      s.node_load_factor_max, kNodeLoadFactorMin, s.node_load_factor_min));
    s.plugin_dir = parsePluginDir(env, executable_dir);
    s.plugins = parsePlugins(env);
    return s;
}

std::vector<std::string> unclaimedKeys(const Environment& env, const std::vector<std::string>& plugin_keys) {
    std::set<std::string, std::less<>> claimed(plugin_keys.begin(), plugin_keys.end());
    for (const auto& k : coreKeys()) claimed.insert(k.name);
    for (const auto& k : foreignKeys()) claimed.insert(k);
    for (const auto& k : retiredKeys()) claimed.insert(k.name);
    std::vector<std::string> unclaimed;
    for (const auto& key : env.keysWithPrefix("B3SCALE_"))
        if (!claimed.contains(key)) unclaimed.push_back(key);
    return unclaimed;
}

}  // namespace b3s::core::config
