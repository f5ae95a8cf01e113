#include "log/log_sink.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

namespace b3s::core::log {
namespace {

constexpr std::int64_t kTime = 1'764'030'000'123'456;  // 2025-11-25T00:20:00.123456Z

class LogSinkTest : public ::testing::Test {
protected:
    void TearDown() override { LogSink::instance().configure(LogFormat::Structured, LogLevel::Info); }
};

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

TEST_F(LogSinkTest, LevelsBelowTheMinimumAreDisabled) {
    auto& sink = LogSink::instance();
    sink.configure(LogFormat::Structured, LogLevel::Warn);
    EXPECT_FALSE(sink.enabled(LogLevel::Info));
    EXPECT_TRUE(sink.enabled(LogLevel::Warn));
    EXPECT_TRUE(sink.enabled(LogLevel::Panic));
    sink.configure(LogFormat::Structured, LogLevel::Trace);
    EXPECT_TRUE(sink.enabled(LogLevel::Trace));
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
