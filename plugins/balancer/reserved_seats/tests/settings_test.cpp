#include "settings.hpp"

#include <b3s/plugin/errors.hpp>
#include <map_config_view.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace b3s::balancer::reserved_seats {
namespace {

TEST(ReservedSeatsSettings, ParsesValidConfiguration) {
    struct Case {
        int line;
        std::string seats;  // empty: unset
        std::string decay;  // empty: unset
        std::string seed;   // empty: unset
        double expected_seats;
        std::int64_t expected_decay;
        std::optional<std::uint64_t> expected_seed;
    };
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::vector<Case> cases = {
        {__LINE__, "", "", "", 15.0, 300, std::nullopt},
        {__LINE__, "15", "300", "42", 15.0, 300, 42},
        {__LINE__, "0", "1", "0", 0.0, 1, 0},
        {__LINE__, "10000", "86400", "18446744073709551615", 10000.0, 86400, max},
        {__LINE__, " 20 ", "\t600 ", " 7 ", 20.0, 600, 7},
        {__LINE__, "", "", "-1", 15.0, 300, max},
        {__LINE__, "", "", "-9223372036854775808", 15.0, 300, std::uint64_t{1} << 63},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        test::MapConfigView config;
        if (!c.seats.empty()) config.set(kReservedSeatsKey, c.seats);
        if (!c.decay.empty()) config.set(kDecayKey, c.decay);
        if (!c.seed.empty()) config.set(kSeedKey, c.seed);
        Settings settings = parseSettings(config);
        EXPECT_EQ(settings.reserved_seats, c.expected_seats);
        EXPECT_EQ(settings.decay_seconds, c.expected_decay);
        EXPECT_EQ(settings.seed, c.expected_seed);
    }
}

TEST(ReservedSeatsSettings, RejectsInvalidConfigurationNamingTheKey) {
    struct Case {
        int line;
        std::string key;
        std::string value;
        std::string message_contains;
    };
    const std::vector<Case> cases = {
        {__LINE__, kReservedSeatsKey, "-1", "from 0 to 10000"},
        {__LINE__, kReservedSeatsKey, "10001", "got '10001'"},
        {__LINE__, kReservedSeatsKey, "1.5", "whole number of seats"},
        {__LINE__, kReservedSeatsKey, "15 seats", "got '15 seats'"},
        {__LINE__, kReservedSeatsKey, "many", "from 0 to 10000"},
        {__LINE__, kReservedSeatsKey, "99999999999999999999", "from 0 to 10000"},
        {__LINE__, kDecayKey, "0", "from 1 to 86400"},
        {__LINE__, kDecayKey, "-300", "whole number of seconds"},
        {__LINE__, kDecayKey, "86401", "got '86401'"},
        {__LINE__, kDecayKey, "5m", "got '5m'"},
        {__LINE__, kDecayKey, "300.0", "from 1 to 86400"},
        {__LINE__, kSeedKey, "abc", "whole number"},
        {__LINE__, kSeedKey, "1.0", "got '1.0'"},
        {__LINE__, kSeedKey, "0x10", "got '0x10'"},
        {__LINE__, kSeedKey, "18446744073709551616", "18446744073709551615"},
        {__LINE__, kSeedKey, "-9223372036854775809", "-9223372036854775808"},
        {__LINE__, kSeedKey, "-", "got '-'"},
        {__LINE__, kSeedKey, " ", "or unset"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + c.key + "=" + c.value);
        test::MapConfigView config;
        config.set(c.key, c.value);
        try {
            parseSettings(config);
            ADD_FAILURE() << "expected ConfigError";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(e.key(), c.key);
            EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(c.message_contains), std::string::npos) << e.what();
        }
    }
}

TEST(ReservedSeatsSettings, DeclaresItsKeysWithDefaults) {
    ASSERT_EQ(kConfigKeys.size(), 3u);
    EXPECT_STREQ(kConfigKeys[0].name, "B3SCALE_BALANCER_RESERVED_SEATS");
    EXPECT_STREQ(kConfigKeys[0].default_value, "15");
    EXPECT_STREQ(kConfigKeys[1].name, "B3SCALE_BALANCER_RESERVATION_DECAY");
    EXPECT_STREQ(kConfigKeys[1].default_value, "300");
    EXPECT_STREQ(kConfigKeys[2].name, "B3SCALE_BALANCER_SEED");
    EXPECT_EQ(kConfigKeys[2].default_value, nullptr);
    for (const auto& key : kConfigKeys) {
        SCOPED_TRACE(key.name);
        EXPECT_FALSE(key.required);
        EXPECT_FALSE(key.secret);
    }
    // The declared defaults are themselves valid.
    test::MapConfigView config;
    for (const auto& key : kConfigKeys)
        if (key.default_value != nullptr) config.set(key.name, key.default_value);
    EXPECT_NO_THROW(parseSettings(config));
}

}  // namespace
}  // namespace b3s::balancer::reserved_seats
