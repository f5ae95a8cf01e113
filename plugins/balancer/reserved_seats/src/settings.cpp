#include "settings.hpp"

#include <b3s/plugin/errors.hpp>

#include <charconv>
#include <string>
#include <string_view>

namespace b3s::balancer::reserved_seats {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// A whole decimal number in [min, max]; `accepted` is the sentence naming that range.
std::int64_t parseBounded(const char* key, std::string_view text, std::int64_t min, std::int64_t max,
                          const std::string& accepted) {
    auto value = trim(text);
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || number < min || number > max)
        throw plugin::ConfigError(key, "must be " + accepted + "; got '" + std::string(value) + "'");
    return number;
}

std::uint64_t parseSeed(std::string_view text) {
    auto value = trim(text);
    const auto* first = value.data();
    const auto* last = value.data() + value.size();
    auto reject = [&] {
        return plugin::ConfigError(kSeedKey,
                                   "must be a whole number from -9223372036854775808 to "
                                   "18446744073709551615, e.g. 42, or unset; got '" +
                                       std::string(value) + "'");
    };
    if (value.empty()) throw reject();
    // Negative seeds are accepted for convenience and used as their two's-complement bits:
    // only distinctness matters for a seed, not its sign.
    if (value.front() == '-') {
        std::int64_t signedSeed = 0;
        auto [end, ec] = std::from_chars(first, last, signedSeed);
        if (ec != std::errc{} || end != last) throw reject();
        return static_cast<std::uint64_t>(signedSeed);
    }
    std::uint64_t seed = 0;
    auto [end, ec] = std::from_chars(first, last, seed);
    if (ec != std::errc{} || end != last) throw reject();
    return seed;
}

}  // namespace

Settings parseSettings(const plugin::ConfigView& config) {
    Settings settings;
    settings.reserved_seats = static_cast<double>(
        parseBounded(kReservedSeatsKey, config.getOr(kReservedSeatsKey, kDefaultReservedSeats), 0, kMaxReservedSeats,
                     "a whole number of seats from 0 to 10000 (0 turns reservations off), e.g. 15"));
    settings.decay_seconds = parseBounded(kDecayKey, config.getOr(kDecayKey, kDefaultDecaySeconds), 1, kMaxDecaySeconds,
                                          "a whole number of seconds from 1 to 86400, e.g. 300");
    if (auto seed = config.get(kSeedKey)) settings.seed = parseSeed(*seed);
    return settings;
}

}  // namespace b3s::balancer::reserved_seats
