#include "prometheus_sink.hpp"

#include "text_exposition.hpp"

#include <exception>

namespace b3s::metrics::prometheus {

std::string renderProcessFamilies(const ProcessStats& stats) {
    TextExposition out;
    if (stats.cpu_seconds)
        out.counter("process_cpu_seconds_total", "User and system CPU time used by the process, in seconds.",
                    *stats.cpu_seconds);
    if (stats.resident_bytes)
        out.gauge("process_resident_memory_bytes", "Resident set size of the process, in bytes.",
                  *stats.resident_bytes);
    if (stats.virtual_bytes)
        out.gauge("process_virtual_memory_bytes", "Size of the process's virtual address space, in bytes.",
                  *stats.virtual_bytes);
    if (stats.open_fds) out.gauge("process_open_fds", "File descriptors the process has open.", *stats.open_fds);
    if (stats.max_fds)
        out.gauge("process_max_fds", "Soft limit on open file descriptors of the process.", *stats.max_fds);
    if (stats.start_time_seconds)
        out.gauge("process_start_time_seconds", "Start time of the process, in seconds since the Unix epoch.",
                  *stats.start_time_seconds);
    if (stats.threads) out.gauge("process_threads", "Threads in the process.", *stats.threads);
    return out.release();
}

PrometheusSink::PrometheusSink(Settings settings, ProcessCollector collector, plugin::Logger& logger)
    : settings_(settings), collector_(std::move(collector)), logger_(logger), registry_(logger) {}

plugin::MetricsPage PrometheusSink::render() {
    plugin::MetricsPage page;
    page.available = true;
    page.content_type = kContentType;
    try {
        TextExposition out;
        registry_.render(out);
        page.body = out.release();
        if (!settings_.process) return page;
        ProcessStats stats = collector_.collect();
        if (!stats.failures.empty() && !warned_.exchange(true)) {
            std::string files;
            for (const auto& f : stats.failures) files += (files.empty() ? "" : "; ") + f;
            logger_.warn("proc_read_failed", {{"files", files}, {"note", "affected families are left out"}});
        }
        page.body += renderProcessFamilies(stats);
    } catch (const std::exception& e) {
        // Only allocation can throw here; answer with what we have rather than fail the scrape thread.
        logger_.error("render_failed", {{"error", e.what()}});
    }
    return page;
}

std::unique_ptr<plugin::MetricsSink> create(const plugin::Context& context) {
    Settings settings = parseSettings(context.config());
    context.logger().info("sink_ready", {{"process", settings.process ? "true" : "false"}});
    return std::make_unique<PrometheusSink>(settings, ProcessCollector("/proc"), context.logger());
}

}  // namespace b3s::metrics::prometheus
