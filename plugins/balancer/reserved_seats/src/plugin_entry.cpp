// The only file that knows about Boost.DLL: descriptor and factory exports.
#define BOOST_DLL_FORCE_ALIAS_INSTANTIATION
#include <b3s/plugin/balancer.hpp>

#include "reserved_seats_strategy.hpp"
#include "settings.hpp"

B3S_PLUGIN(balancer, b3s::plugin::BalancerStrategy, "reserved_seats", "1.0.0",
           b3s::balancer::reserved_seats::kConfigKeys, b3s::balancer::reserved_seats::create)
