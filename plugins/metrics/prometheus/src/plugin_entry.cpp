// The only file that knows about Boost.DLL: descriptor and factory exports.
#define BOOST_DLL_FORCE_ALIAS_INSTANTIATION
#include <b3s/plugin/metrics.hpp>

#include "prometheus_sink.hpp"
#include "settings.hpp"

B3S_PLUGIN(metrics, b3s::plugin::MetricsSink, "prometheus", "1.0.0", b3s::metrics::prometheus::kConfigKeys,
           b3s::metrics::prometheus::create)
