/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.core.exit.ExitTrace;
import io.hvdbg.core.exit.TraceFile;
import io.hvdbg.core.exit.TraceFormatException;

/**
 * {@code hvdbg stats FILE}: the perf-kvm-stat-style table of an exit trace written by
 * {@code hvdbg run --trace} (.hvtrace). Host traces (ftrace, trace-cmd) come with their importers.
 */
final class StatsCommand implements Command {
    @Override
    public int execute(List<String> args, Io io) throws CliException {
        Options o = Options.parse("stats", args, Set.of(), Set.of(), Set.of(), 1);
        if (o.positionals().isEmpty()) {
            throw CliException.usage("stats", "missing trace FILE");
        }
        Path file = Path.of(o.positionals().get(0));
        ExitTrace trace = load(file);
        io.out().print(ExitStatistics.of(trace).format(-1));
        return ExitCodes.OK;
    }

    /** Loads a trace file; unreadable or malformed files are one-line input errors. */
    static ExitTrace load(Path file) throws CliException {
        if (Files.isDirectory(file)) {
            throw CliException.input("cannot read trace " + file + ": it is a folder");
        }
        try {
            return TraceFile.load(file);
        } catch (NoSuchFileException e) {
            throw CliException.input("cannot read trace " + file + ": no such file");
        } catch (TraceFormatException e) {
            throw CliException.input(GuestRunner.oneLine(e.getMessage(), file + ": not a readable trace"));
        } catch (IOException e) {
            throw CliException.input("cannot read trace " + file + ": " + GuestRunner.oneLine(e.getMessage(), e.toString()));
        }
    }
}
