// The only file that knows about Boost.DLL: descriptor and factory exports.
#define BOOST_DLL_FORCE_ALIAS_INSTANTIATION
#include <b3s/plugin/recordings.hpp>

#include "filesystem_store.hpp"
#include "settings.hpp"

B3S_PLUGIN(recordings, b3s::plugin::RecordingsStore, "filesystem", "1.0.0", b3s::recordings::filesystem::kConfigKeys,
           b3s::recordings::filesystem::create)
