#include "settings.hpp"

#include <b3s/plugin/errors.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <charconv>
#include <string_view>

namespace b3s::auth::jwt {
namespace {

constexpr std::array<std::string_view, 3> kAccepted = {"HS256", "HS384", "HS512"};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::set<std::string> parseAlgorithms(std::string_view text) {
    std::set<std::string> algorithms;
    while (true) {
        auto comma = text.find(',');
        auto item = trim(text.substr(0, comma));
        // Empty items ("HS384,") are tolerated; only the names themselves are strict.
        if (!item.empty()) {
            bool known = false;
            for (auto accepted : kAccepted) known = known || item == accepted;
            if (!known)
                throw plugin::ConfigError(kAlgorithmsKey, "accepts HS256, HS384 and HS512 (comma-separated); got '" +
                                                              std::string(item) + "'");
            algorithms.emplace(item);
        }
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    if (algorithms.empty()) throw plugin::ConfigError(kAlgorithmsKey, "must name at least one of HS256, HS384, HS512");
    return algorithms;
}

std::int64_t parseLeeway(std::string_view text) {
    auto value = trim(text);
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc::result_out_of_range)
        throw plugin::ConfigError(kLeewayKey, "is too large; got '" + std::string(value) + "'");
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || seconds < 0)
        throw plugin::ConfigError(kLeewayKey,
                                  "must be a whole number of seconds >= 0, e.g. 30; got '" + std::string(value) + "'");
    return seconds;
}

}  // namespace

Settings parseSettings(const plugin::ConfigView& config) {
    Settings settings;
    auto secret = config.get(kSecretKey);
    if (!secret || secret->empty())
        throw plugin::ConfigError(kSecretKey, "is required: the shared secret API tokens are signed with");
    // ConfigError puts the key in front: the sentence names the value, not the key again.
    if (const auto problem = support::secretLengthProblem("the secret", *secret); !problem.empty())
        throw plugin::ConfigError(kSecretKey, problem);
    settings.secret = std::move(*secret);
    if (auto previous = config.get(kPreviousSecretKey); previous && !previous->empty()) {
        if (const auto problem = support::secretLengthProblem("the previous secret", *previous); !problem.empty())
            throw plugin::ConfigError(kPreviousSecretKey, problem);
        if (*previous == settings.secret)
            throw plugin::ConfigError(kPreviousSecretKey,
                                      "is the same as B3SCALE_API_JWT_SECRET: set it to the secret that was replaced, "
                                      "or unset it when no rotation is under way");
        settings.previous_secret = std::move(*previous);
    }
    settings.algorithms = parseAlgorithms(config.getOr(kAlgorithmsKey, kDefaultAlgorithms));
    settings.leeway_seconds = parseLeeway(config.getOr(kLeewayKey, kDefaultLeewaySeconds));
    return settings;
}

}  // namespace b3s::auth::jwt
