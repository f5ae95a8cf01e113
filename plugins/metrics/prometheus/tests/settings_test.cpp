#include "settings.hpp"

#include <b3s/plugin/errors.hpp>
#include <map_config_view.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::metrics::prometheus {
namespace {

TEST(PrometheusSettings, ParsesProcessSwitch) {
    struct Case {
        int line;
        std::string value;  // empty: unset
        bool expected;
    };
    const std::vector<Case> cases = {
        {__LINE__, "", true},   {__LINE__, "true", true},   {__LINE__, "TRUE", true},   {__LINE__, "yes", true},
        {__LINE__, "1", true},  {__LINE__, " Yes ", true},  {__LINE__, "false", false}, {__LINE__, "no", false},
        {__LINE__, "0", false}, {__LINE__, "False", false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": '" + c.value + "'");
        test::MapConfigView config;
        config.set(kProcessKey, c.value);
        EXPECT_EQ(parseSettings(config).process, c.expected);
    }
}

TEST(PrometheusSettings, RejectsOtherValuesListingAcceptedOnes) {
    struct Case {
        int line;
        std::string value;
    };
    const std::vector<Case> cases = {
        {__LINE__, "on"}, {__LINE__, "off"}, {__LINE__, "2"}, {__LINE__, "y"}, {__LINE__, "truee"}};
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": '" + c.value + "'");
        test::MapConfigView config{{kProcessKey, c.value}};
        try {
            parseSettings(config);
            ADD_FAILURE() << "expected ConfigError";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(e.key(), "B3SCALE_METRICS_PROMETHEUS_PROCESS");
            EXPECT_NE(std::string(e.what()).find("true, false, yes, no, 1 or 0"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("'" + c.value + "'"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace b3s::metrics::prometheus
