#pragma once
// A frontend's settings document (frontends.settings, JSON), parsed and validated once
// when a frontend is loaded, so request paths read plain structs.
//
// Keys as b3scale (admin spec §1.3), all optional, `null` = off:
//   required_tags [string], default_presentation {url, force}, attendees_limit {limit},
//   create_default_params / create_override_params / join_default_params /
//   join_override_params {string: string}, recordings {visibility_override}.
// Ours (operators only): rate_limit {requests_per_second, burst} (BBB calls of the tenant per
// b3scaled instance, a token bucket), meetings_limit {limit} (meetings running at once).
// Unlike b3scale, an empty string value in a param map is kept (an override may set a
// parameter to ""), and unknown keys are refused so a typo does not silently do nothing.

#include "bbb/param_list.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::core::gateway {

using bbb::ParamList;

struct DefaultPresentation {
    std::string url;
    bool force = false;
};

/// A token bucket: `burst` calls at once, refilled at `per_second`.
struct RateLimit {
    double per_second = 0;
    int burst = 1;
};

struct FrontendSettings {
    std::vector<std::string> required_tags;
    std::optional<DefaultPresentation> default_presentation;
    int attendees_limit = 0;  ///< 0 = no limit
    int meetings_limit = 0;   ///< meetings running at once; 0 = no limit
    std::optional<RateLimit> rate_limit;
    ParamList create_default_params;
    ParamList create_override_params;
    ParamList join_default_params;
    ParamList join_override_params;
    std::optional<std::string> recordings_visibility_override;
};

/// The outcome of parsing: settings, or the first problem as `path: reason`
/// (e.g. "attendees_limit.limit: must be a whole number >= 0").
struct FrontendSettingsResult {
    std::optional<FrontendSettings> settings;
    std::string error;
};

/// Parses a settings document. Empty text and `{}` give default settings. Never throws.
FrontendSettingsResult parseFrontendSettings(std::string_view json);

/// The five recording visibilities b3scale knows.
bool isRecordingVisibility(std::string_view v) noexcept;

}  // namespace b3s::core::gateway
