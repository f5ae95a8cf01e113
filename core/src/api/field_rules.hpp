#pragma once
// Who may change which field of a frontend or a backend (issue 16: least privilege for tenants
// and node agents). Operators may change everything the readers take. A node agent may change
// only its backend's load factor (within B3SCALE_NODE_LOAD_FACTOR_MIN..MAX) and its BBB secret
// (BBB rotated it): its host, tags and admin state are the operator's, or a node could take
// over another tenant's meetings. A tenant may change only what concerns its own frontend: its
// secret (at least 32 bytes), switching it off and on again (not when an operator switched it
// off), its default presentation, default parameters and recordings setting. Its key, owner,
// limits, required tags and override parameters are the operator's: they decide what the
// tenant may use. Fields are the dotted names json_diff.hpp produces.

#include "api/resource_input.hpp"

#include "store/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace b3s::core::api {

/// The load factors a node agent may set (B3SCALE_NODE_LOAD_FACTOR_MIN/MAX); operators are
/// bounded only by validation (finite, >= 0).
struct NodeLoadFactorBounds {
    double min = 0.5;
    double max = 10;
};

/// The sentence for a node's load factor outside `bounds`, nullopt when inside.
std::optional<std::string> nodeLoadFactorProblem(double load_factor, const NodeLoadFactorBounds& bounds);

/// The fields of `changed` a node agent may not change in its backend, each with the reason;
/// empty when it may change them all.
FieldErrors nodeBackendRefusals(const std::vector<std::string>& changed);

/// The fields of `changed` a tenant may not change in its frontend (`before` as stored, `after`
/// as read from the merged body), each with the reason; empty when it may change them all.
FieldErrors tenantFrontendRefusals(const std::vector<std::string>& changed, const store::Frontend& before,
                                   const store::Frontend& after);

}  // namespace b3s::core::api
