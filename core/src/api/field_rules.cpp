#include "api/field_rules.hpp"

#include <b3s/support/purpose_keys.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace b3s::core::api {
namespace {

constexpr const char* kOperatorsField = "only an operator may change this field";

// `field` is `name` or lies below it.
bool within(std::string_view field, std::string_view name) {
    return field == name || (field.size() > name.size() && field.starts_with(name) && field[name.size()] == '.');
}

}  // namespace

std::optional<std::string> nodeLoadFactorProblem(double load_factor, const NodeLoadFactorBounds& bounds) {
    if (std::isfinite(load_factor) && load_factor >= bounds.min && load_factor <= bounds.max) return std::nullopt;
    return fmt::format("a node agent may set a load factor from {} to {}", bounds.min, bounds.max);
}

FieldErrors nodeBackendRefusals(const std::vector<std::string>& changed) {
    FieldErrors refused;
    for (const auto& field : changed)
        if (field != "load_factor" && field != "bbb.secret") refused[field].push_back(kOperatorsField);
    return refused;
}

FieldErrors tenantFrontendRefusals(const std::vector<std::string>& changed, const store::Frontend& before,
                                   const store::Frontend& after) {
    // What a tenant configures for its own meetings; it could send all of it with each call.
    static constexpr std::array<std::string_view, 4> kTenantSettings = {
        "settings.default_presentation", "settings.create_default_params", "settings.join_default_params",
        "settings.recordings"};
    FieldErrors refused;
    for (const auto& field : changed) {
        if (field == "bbb.secret") {
            if (auto problem = support::secretLengthProblem("bbb.secret", after.secret); !problem.empty())
                refused[field].push_back(problem);
        } else if (field == "active") {
            if (after.active && before.deactivated_by != store::frontend_deactivation::kTenant)
                refused[field].push_back("an operator deactivated this frontend; only an operator may activate it");
        } else if (std::none_of(kTenantSettings.begin(), kTenantSettings.end(),
                                [&](std::string_view name) { return within(field, name); })) {
            refused[field].push_back(kOperatorsField);
        }
    }
    return refused;
}

}  // namespace b3s::core::api
