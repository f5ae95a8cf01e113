#include "prometheus_sink.hpp"
#include "text_exposition.hpp"

#include "fake_proc.hpp"

#include <b3s/plugin/errors.hpp>
#include <fake_context.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace b3s::metrics::prometheus {
namespace {

using testing::FakeProc;

TEST(PrometheusText, FormatsValues) {
    struct Case {
        int line;
        double value;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {__LINE__, 0.0, "0"},
        {__LINE__, 3.7, "3.7"},
        {__LINE__, 1700001234.56, "1700001234.56"},
        {__LINE__, 1024.0, "1024"},
        {__LINE__, std::numeric_limits<double>::infinity(), "+Inf"},
        {__LINE__, -std::numeric_limits<double>::infinity(), "-Inf"},
        {__LINE__, std::nan(""), "NaN"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        EXPECT_EQ(formatValue(c.value), c.expected);
    }
}

TEST(PrometheusSink, RendersEveryProcessFamilyExactly) {
    FakeProc proc;
    test::FakeContext context;
    PrometheusSink sink(Settings{}, ProcessCollector(proc.dir.path(), 100), context.logger());
    plugin::MetricsPage page = sink.render();
    EXPECT_TRUE(page.available);
    EXPECT_EQ(page.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(page.body,
              "# HELP process_cpu_seconds_total User and system CPU time used by the process, in seconds.\n"
              "# TYPE process_cpu_seconds_total counter\n"
              "process_cpu_seconds_total 3.7\n"
              "# HELP process_resident_memory_bytes Resident set size of the process, in bytes.\n"
              "# TYPE process_resident_memory_bytes gauge\n"
              "process_resident_memory_bytes 5242880\n"
              "# HELP process_virtual_memory_bytes Size of the process's virtual address space, in bytes.\n"
              "# TYPE process_virtual_memory_bytes gauge\n"
              "process_virtual_memory_bytes 987654321\n"
              "# HELP process_open_fds File descriptors the process has open.\n"
              "# TYPE process_open_fds gauge\n"
              "process_open_fds 5\n"
              "# HELP process_max_fds Soft limit on open file descriptors of the process.\n"
              "# TYPE process_max_fds gauge\n"
              "process_max_fds 1024\n"
              "# HELP process_start_time_seconds Start time of the process, in seconds since the Unix epoch.\n"
              "# TYPE process_start_time_seconds gauge\n"
              "process_start_time_seconds 1700001234.56\n"
              "# HELP process_threads Threads in the process.\n"
              "# TYPE process_threads gauge\n"
              "process_threads 7\n");
    EXPECT_EQ(context.recordingLogger().count("proc_read_failed"), 0u);
}

TEST(PrometheusSink, LeavesOutUnreadableFamiliesAndWarnsOnce) {
    FakeProc proc;
    std::filesystem::remove(proc.dir / "self/limits");
    test::FakeContext context;
    PrometheusSink sink(Settings{}, ProcessCollector(proc.dir.path(), 100), context.logger());
    for (int scrape = 0; scrape < 3; ++scrape) {
        SCOPED_TRACE("scrape " + std::to_string(scrape));
        auto body = sink.render().body;
        EXPECT_EQ(body.find("process_max_fds"), std::string::npos);
        EXPECT_NE(body.find("process_open_fds 5\n"), std::string::npos);
    }
    ASSERT_EQ(context.recordingLogger().count("proc_read_failed"), 1u);
    auto warning = context.recordingLogger().find("proc_read_failed");
    EXPECT_EQ(warning->level, plugin::LogLevel::Warn);
    EXPECT_NE(warning->field("files")->find("limits"), std::string::npos);
}

TEST(PrometheusSink, RendersNothingWhenProcessFamiliesAreOff) {
    FakeProc proc;
    test::FakeContext context;
    PrometheusSink sink(Settings{.process = false}, ProcessCollector(proc.dir.path(), 100), context.logger());
    auto page = sink.render();
    EXPECT_TRUE(page.available);
    EXPECT_EQ(page.content_type, kContentType);
    EXPECT_EQ(page.body, "");
}

TEST(PrometheusSink, RealProcSelfRendersEveryFamily) {
    test::FakeContext context;
    auto sink = create(context);
    auto page = sink->render();
    for (const char* family :
         {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
          "process_open_fds", "process_max_fds", "process_start_time_seconds", "process_threads"}) {
        SCOPED_TRACE(family);
        EXPECT_NE(page.body.find(std::string("# HELP ") + family + " "), std::string::npos);
        EXPECT_NE(page.body.find(std::string("# TYPE ") + family + " "), std::string::npos);
        auto sample = page.body.find(std::string("\n") + family + " ");
        ASSERT_NE(sample, std::string::npos);
        auto valueStart = sample + 1 + std::string(family).size() + 1;
        double value = std::stod(page.body.substr(valueStart, page.body.find('\n', valueStart) - valueStart));
        if (std::string(family) == "process_cpu_seconds_total")
            EXPECT_GE(value, 0.0);
        else
            EXPECT_GT(value, 0.0);
    }
    EXPECT_EQ(context.recordingLogger().count("proc_read_failed"), 0u);
    EXPECT_EQ(context.recordingLogger().find("sink_ready")->field("process"), "true");
}

TEST(PrometheusSink, FactoryRefusesInvalidSwitch) {
    test::FakeContext context{{kProcessKey, "maybe"}};
    EXPECT_THROW(create(context), plugin::ConfigError);
}

}  // namespace
}  // namespace b3s::metrics::prometheus
