#pragma once
// Reading a secret: from the terminal without echo, or one line from stdin when stdin is not
// a terminal (`echo "$S" | b3scalectl auth authorize`). Never written anywhere.

#include <istream>
#include <ostream>
#include <string>

namespace b3s::ctl {

class SecretInput {
public:
    /// `in`/`in_fd` are stdin; prompts go to `prompt_out` (stderr, so stdout stays clean).
    SecretInput(std::istream& in, int in_fd, std::ostream& prompt_out);
    virtual ~SecretInput() = default;

    /// True when stdin is a terminal (so a prompt makes sense and a retry is possible).
    virtual bool interactive() const;
    /// Writes `prompt` (on a terminal only), reads one line without echo and returns it with
    /// surrounding whitespace removed; "" at end of input.
    virtual std::string read(const std::string& prompt);

private:
    std::istream& in_;
    int in_fd_;
    std::ostream& prompt_out_;
};

}  // namespace b3s::ctl
