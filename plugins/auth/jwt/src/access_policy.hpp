#pragma once
// b3scale's permission matrix (spec b3scale-admin.md §5.2) as a pure function of a token's
// scopes and the requested action — with b3scale's mixed-scope quirk fixed: a token carrying
// the operator scope is an operator, whatever else it carries.
//
//   scope           reach          actions
//   b3scale:admin   every row      everything except agent/* (those need a node identity)
//   b3scale         own frontends  status; frontends list, show, update (account_ref = sub)
//   b3scale:node    own backend    status; backends create, show, update; meetings show, update,
//                                  delete; recordings import; agent/* (agent_ref = sub)

#include <b3s/plugin/auth.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace b3s::auth::jwt {

inline constexpr std::string_view kAdminScope = "b3scale:admin";
inline constexpr std::string_view kTenantScope = "b3scale";
inline constexpr std::string_view kNodeScope = "b3scale:node";

/// The decision for a genuine token with `scopes` (and `subject`) asking for `action`.
plugin::AccessDecision decideAccess(const std::vector<std::string>& scopes, const std::string& subject,
                                    plugin::ApiAction action);

/// The scopes that grant `action`, in the order b3scale names them ("b3scale:admin, b3scale").
std::vector<std::string_view> scopesFor(plugin::ApiAction action);

}  // namespace b3s::auth::jwt
