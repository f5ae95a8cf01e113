// The only file that knows about Boost.DLL: descriptor and factory exports.
#define BOOST_DLL_FORCE_ALIAS_INSTANTIATION
#include <b3s/plugin/balancer.hpp>

#include "round_robin_strategy.hpp"

B3S_PLUGIN(balancer, b3s::plugin::BalancerStrategy, "round_robin", "1.0.0", b3s::balancer::round_robin::kConfigKeys,
           b3s::balancer::round_robin::create)
