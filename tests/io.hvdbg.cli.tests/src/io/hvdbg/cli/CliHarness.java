/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the command line in-process with captured streams. */
record CliHarness(int status, String out, String err) {
    static CliHarness main(String... args) {
        return capture(io -> Main.run(args, io.out(), io.err(), io.in()));
    }

    static CliHarness command(Command command, String... args) {
        return capture(io -> {
            try {
                return command.execute(List.of(args), io);
            } catch (CliException e) {
                io.err().println("hvdbg: " + e.getMessage());
                return e.status();
            }
        });
    }

    interface Body {
        int run(Command.Io io);
    }

    static CliHarness capture(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = body.run(new Command.Io(o, e, new ByteArrayInputStream(new byte[0])));
        o.flush();
        e.flush();
        return new CliHarness(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The first line of stderr. */
    String firstErrorLine() {
        int nl = err.indexOf('\n');
        return nl < 0 ? err : err.substring(0, nl);
    }
}
