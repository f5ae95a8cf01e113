#pragma once
// A frontend's default and override parameters for create and join
// (`create_default_params`/`create_override_params`, `join_default_params`/
// `join_override_params`), applied exactly as b3scale's SetCreateParams/SetJoinParams:
//   1. every override is written into the request (an empty override sets the parameter
//      to the empty string; it does not remove it);
//   2. every default except `disabledFeatures` is written only where the request lacks it;
//   3. if the defaults contain `disabledFeatures`, the request's list (after step 1)
//      followed by the default list, both split on `,`, empty items dropped, duplicates
//      removed keeping the first occurrence, joined with `,` becomes the request's value
//      (even when that is empty).

#include "bbb/param_list.hpp"

#include <string>
#include <string_view>

namespace b3s::core::bbb {

inline constexpr std::string_view kDisabledFeaturesParam = "disabledFeatures";

/// Applies `overrides` then `defaults` to `params` (rules above). Parameters that are new to
/// the request are appended in the order of the override/default list; the backend URL
/// sorts them anyway. Errors: none. Thread-safety: mutates `params` only.
void applyParamSettings(ParamList& params, const ParamList& defaults, const ParamList& overrides);

/// Step 3 alone: `requestList` followed by `defaultList`, split on `,`, empty items dropped,
/// first occurrence kept, joined with `,`. Thread-safety: pure function.
std::string mergeDisabledFeatures(std::string_view requestList, std::string_view defaultList);

}  // namespace b3s::core::bbb
