#include "log/log_sink.hpp"

#include "log/deferred_log_flusher.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>

namespace b3s::core::log {
namespace {

constexpr std::int64_t kTime = 1'764'030'000'123'456;  // 2025-11-25T00:20:00.123456Z

class LogSinkTest : public ::testing::Test {
protected:
    void TearDown() override {
        LogSink::instance().configure(LogFormat::Structured, LogLevel::Info);
        LogSink::instance().setPriorityPrefix(false);
    }
};

// journald takes a leading "<N>" off each line as the entry's priority; what stays must be
// the line as it would be without the journal.
TEST_F(LogSinkTest, UnderTheJournalEveryLineStartsWithItsSyslogPriorityAndStaysValidJson) {
    auto& sink = LogSink::instance();
    sink.setPriorityPrefix(true);
    const std::pair<LogLevel, std::string> expected[] = {
        {LogLevel::Trace, "<7>"}, {LogLevel::Debug, "<7>"}, {LogLevel::Info, "<6>"}, {LogLevel::Warn, "<4>"},
        {LogLevel::Error, "<3>"}, {LogLevel::Fatal, "<2>"}, {LogLevel::Panic, "<0>"}};
    for (const auto& [level, prefix] : expected) {
        sink.configure(LogFormat::Structured, LogLevel::Trace);
        const std::string line = sink.format(level, "b3s.core.test", "event", {{"k", "<v>"}}, kTime);
        ASSERT_TRUE(line.starts_with(prefix)) << line;
        EXPECT_EQ(syslogPriority(level), prefix[1] - '0');
        auto obj = Poco::JSON::Parser().parse(line.substr(prefix.size())).extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(obj->getValue<std::string>("level"), levelName(level));
        EXPECT_EQ(obj->getValue<std::string>("k"), "<v>");

        sink.configure(LogFormat::Plain, LogLevel::Trace);
        const std::string plain = sink.format(level, "b3s.core.test", "event", {}, kTime);
        EXPECT_TRUE(plain.starts_with(prefix + "2025-11-25T00:20:00.123456Z ")) << plain;
    }
}

TEST_F(LogSinkTest, OutsideTheJournalLinesHaveNoPriorityPrefix) {
    auto& sink = LogSink::instance();
    sink.setPriorityPrefix(true);
    sink.setPriorityPrefix(false);
    EXPECT_TRUE(sink.format(LogLevel::Error, "b3s.core.test", "event", {}, kTime).starts_with("{\"level\":\"error\""));
}

TEST_F(LogSinkTest, StructuredLinesAreOneJsonObjectEach) {
    auto& sink = LogSink::instance();
    sink.configure(LogFormat::Structured, LogLevel::Info);
    std::string line = sink.format(LogLevel::Warn, "b3s.core.test", "something_happened",
                                   {{"quote", "say \"hi\"\n"}, {"path", "/a\\b"}}, kTime);
    ASSERT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "exactly one line";
    auto obj = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(obj->getValue<std::string>("level"), "warn");
    EXPECT_EQ(obj->getValue<std::string>("time"), "2025-11-25T00:20:00.123456Z");
    EXPECT_EQ(obj->getValue<std::string>("logger"), "b3s.core.test");
    EXPECT_EQ(obj->getValue<std::string>("message"), "something_happened");
    EXPECT_EQ(obj->getValue<std::string>("quote"), "say \"hi\"\n");
    EXPECT_EQ(obj->getValue<std::string>("path"), "/a\\b");
}

TEST_F(LogSinkTest, PlainLinesAreReadableAndQuoteOnlyWhenNeeded) {
    auto& sink = LogSink::instance();
    sink.configure(LogFormat::Plain, LogLevel::Info);
    std::string line = sink.format(LogLevel::Info, "b3s.core.app", "ready",
                                   {{"listen", "127.0.0.1:42352"}, {"note", "two words"}}, kTime);
    EXPECT_EQ(line, "2025-11-25T00:20:00.123456Z INF b3s.core.app ready listen=127.0.0.1:42352 note=\"two words\"\n");
}

// The date and time up to the second are kept per thread between lines: each line still
// carries its own time, forwards, backwards, across midnight and a year's end.
TEST_F(LogSinkTest, EveryLineCarriesItsOwnTime) {
    auto& sink = LogSink::instance();
    sink.configure(LogFormat::Plain, LogLevel::Info);
    const auto timeOf = [&](std::int64_t us) {
        const auto line = sink.format(LogLevel::Info, "b3s.core.test", "tick", {}, us);
        return line.substr(0, line.find(' '));
    };
    EXPECT_EQ(timeOf(kTime), "2025-11-25T00:20:00.123456Z");
    EXPECT_EQ(timeOf(kTime + 1), "2025-11-25T00:20:00.123457Z");
    EXPECT_EQ(timeOf(kTime + 876'544), "2025-11-25T00:20:01.000000Z");
    EXPECT_EQ(timeOf(kTime - 123'456 - 1), "2025-11-25T00:19:59.999999Z");
    EXPECT_EQ(timeOf(kTime), "2025-11-25T00:20:00.123456Z");
    EXPECT_EQ(timeOf(1'767'225'599'999'999), "2025-12-31T23:59:59.999999Z");
    EXPECT_EQ(timeOf(1'767'225'600'000'007), "2026-01-01T00:00:00.000007Z");
    std::string other;
    std::thread([&] { other = timeOf(kTime + 3'000'000); }).join();
    EXPECT_EQ(other, "2025-11-25T00:20:03.123456Z");
    EXPECT_EQ(timeOf(kTime), "2025-11-25T00:20:00.123456Z");
}

TEST_F(LogSinkTest, LevelsBelowTheMinimumAreDisabled) {
    auto& sink = LogSink::instance();
    sink.configure(LogFormat::Structured, LogLevel::Warn);
    EXPECT_FALSE(sink.enabled(LogLevel::Info));
    EXPECT_TRUE(sink.enabled(LogLevel::Warn));
    EXPECT_TRUE(sink.enabled(LogLevel::Panic));
    sink.configure(LogFormat::Structured, LogLevel::Trace);
    EXPECT_TRUE(sink.enabled(LogLevel::Trace));
}

// The sink writing plain lines into a temporary file; what it wrote so far.
class LogSinkCaptureTest : public LogSinkTest {
protected:
    void SetUp() override {
        file_ = std::tmpfile();
        ASSERT_NE(file_, nullptr);
        LogSink::instance().configure(LogFormat::Plain, LogLevel::Info);
        LogSink::instance().redirect(file_);
    }
    void TearDown() override {
        LogSink::instance().redirect(nullptr);
        if (file_) std::fclose(file_);
        LogSinkTest::TearDown();
    }
    std::string written() {
        std::fflush(file_);
        std::string text;
        std::rewind(file_);
        char buffer[4096];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file_)) > 0;) text.append(buffer, n);
        std::fseek(file_, 0, SEEK_END);
        return text;
    }
    std::FILE* file_ = nullptr;
};

TEST_F(LogSinkCaptureTest, DeferredLinesGoOutInOrderBeforeTheNextLineOrWhenFlushed) {
    auto& sink = LogSink::instance();
    sink.writeDeferred(LogLevel::Info, "b3s.core.access", "request", {{"n", "1"}});
    sink.writeDeferred(LogLevel::Debug, "b3s.core.access", "request", {{"n", "debug"}});
    EXPECT_EQ(written(), "") << "held back";
    sink.write(LogLevel::Warn, "b3s.core.app", "something", {});
    auto text = written();
    EXPECT_NE(text.find("request n=1\n"), std::string::npos) << text;
    EXPECT_LT(text.find("request n=1"), text.find("something")) << "order kept";
    EXPECT_EQ(text.find("debug"), std::string::npos) << "below the minimum level";

    sink.writeDeferred(LogLevel::Info, "b3s.core.access", "request", {{"n", "2"}});
    sink.flushDeferred();
    EXPECT_NE(written().find("request n=2"), std::string::npos);

    // A full buffer goes out by itself.
    const std::string big(1000, 'x');
    for (std::size_t i = 0; i * big.size() < LogSink::kDeferredBytes; ++i)
        sink.writeDeferred(LogLevel::Info, "b3s.core.access", "request", {{"n", big}});
    EXPECT_GE(written().size(), LogSink::kDeferredBytes);
}

TEST_F(LogSinkCaptureTest, FlusherWritesDeferredLinesWithinItsIntervalAndAtTheEnd) {
    auto& sink = LogSink::instance();
    {
        DeferredLogFlusher flusher(std::chrono::milliseconds(20));
        sink.writeDeferred(LogLevel::Info, "b3s.core.access", "request", {{"n", "quiet"}});
        std::string text;
        for (int i = 0; i < 500 && text.empty(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            text = written();
        }
        EXPECT_NE(text.find("request n=quiet"), std::string::npos) << "written without another line";
    }
    {
        DeferredLogFlusher slow(std::chrono::hours(1));
        sink.writeDeferred(LogLevel::Info, "b3s.core.access", "request", {{"n", "last"}});
        EXPECT_EQ(written().find("request n=last"), std::string::npos);
    }
    EXPECT_NE(written().find("request n=last"), std::string::npos) << "written when the flusher goes";
}

TEST_F(LogSinkTest, ParsesNamesNumbersAndFormats) {
    EXPECT_EQ(parseLogLevel("WARN"), LogLevel::Warn);
    EXPECT_EQ(parseLogLevel("warning"), LogLevel::Warn);
    EXPECT_EQ(parseLogLevel("-1"), LogLevel::Trace);
    EXPECT_EQ(parseLogLevel("6"), std::nullopt);
    EXPECT_EQ(parseLogLevel("verbose"), std::nullopt);
    EXPECT_EQ(parseLogFormat("plain"), LogFormat::Plain);
    EXPECT_EQ(parseLogFormat("structured"), LogFormat::Structured);
    EXPECT_EQ(parseLogFormat("yaml"), std::nullopt);
}

}  // namespace
}  // namespace b3s::core::log
