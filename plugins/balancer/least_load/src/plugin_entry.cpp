// The only file that knows about Boost.DLL: descriptor and factory exports.
#define BOOST_DLL_FORCE_ALIAS_INSTANTIATION
#include <b3s/plugin/balancer.hpp>

#include "least_load_strategy.hpp"

B3S_PLUGIN(balancer, b3s::plugin::BalancerStrategy, "least_load", "1.0.0", b3s::balancer::least_load::kConfigKeys,
           b3s::balancer::least_load::create)
