// The only file that knows about Boost.DLL: descriptor and factory exports.
#define BOOST_DLL_FORCE_ALIAS_INSTANTIATION
#include <b3s/plugin/auth.hpp>

#include "jwt_authorizer.hpp"
#include "settings.hpp"

B3S_PLUGIN(auth, b3s::plugin::Authenticator, "jwt", "1.0.0", b3s::auth::jwt::kConfigKeys, b3s::auth::jwt::create)
