#include "plugin/plugin_context.hpp"

#include <vector>

namespace b3s::core::plugin {

void PluginLogger::log(b3s::plugin::LogLevel level, std::string_view event,
                       std::initializer_list<b3s::plugin::LogField> fields) {
    const auto core_level = toCore(level);
    if (!logger_.enabled(core_level)) return;
    std::vector<log::LogField> converted;
    converted.reserve(fields.size());
    for (const auto& f : fields) converted.push_back({f.key, f.value});
    log::LogSink::instance().write(core_level, logger_.name(), event, converted);
}

}  // namespace b3s::core::plugin
