#pragma once
// Captures core's log lines written while it lives (and keeps expected warnings off stderr).

#include "log/log_sink.hpp"

#include <cstdio>
#include <string>

namespace b3s::test {

class CapturedLog {
public:
    CapturedLog() : file_(std::tmpfile()) { core::log::LogSink::instance().redirect(file_); }
    ~CapturedLog() {
        core::log::LogSink::instance().redirect(nullptr);
        std::fclose(file_);
    }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    std::string text() {
        std::fflush(file_);
        std::rewind(file_);
        std::string out;
        char buffer[4096];
        while (const auto n = std::fread(buffer, 1, sizeof buffer, file_)) out.append(buffer, n);
        return out;
    }

private:
    std::FILE* file_;
};

}  // namespace b3s::test
