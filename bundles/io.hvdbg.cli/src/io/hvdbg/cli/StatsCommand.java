/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.hvdbg.cli.trace.TraceSource;
import io.hvdbg.core.exit.ExitRecordVisitor;
import io.hvdbg.core.exit.ExitStatistics;
import io.hvdbg.core.exit.TraceFormatException;

/**
 * {@code hvdbg stats FILE}: the perf-kvm-stat-style table of an exit trace - one written by
 * {@code hvdbg run --trace} (.hvtrace) or a host KVM trace in text form (ftrace, trace-cmd
 * report, perf script), told apart by content. The file is streamed, so its size does not
 * matter; for text traces the import summary and skipped lines go to stderr.
 */
final class StatsCommand implements Command {
    /** Skipped lines shown on stderr; the rest are only counted. */
    static final int SKIPPED_LINES_SHOWN = 5;

    @Override
    public int execute(List<String> args, Io io) throws CliException {
        Options o = Options.parse("stats", args, Set.of(), Set.of(), Set.of(), 1);
        if (o.positionals().isEmpty()) {
            throw CliException.usage("stats", "missing trace FILE");
        }
        Path file = Path.of(o.positionals().get(0));
        ExitStatistics stats = new ExitStatistics();
        TraceSource.Result result = stream(file, (s, v, r, t, d, pc, q, i2, c) -> {
            stats.count(v, r, d);
            return true;
        });
        io.err().print(TraceSource.describeImport(file, result, SKIPPED_LINES_SHOWN));
        io.out().print(stats.format(-1));
        return ExitCodes.OK;
    }

    /** Streams a trace file of either kind; unreadable or malformed files are one-line input errors. */
    static TraceSource.Result stream(Path file, ExitRecordVisitor visitor) throws CliException {
        if (Files.isDirectory(file)) {
            throw CliException.input("cannot read trace " + file + ": it is a folder");
        }
        try {
            return TraceSource.stream(file, visitor, null);
        } catch (NoSuchFileException e) {
            throw CliException.input("cannot read trace " + file + ": no such file");
        } catch (TraceFormatException e) {
            throw CliException.input(GuestRunner.oneLine(e.getMessage(), file + ": not a readable trace"));
        } catch (UncheckedIOException e) {
            throw CliException.failure("cannot write: " + GuestRunner.oneLine(e.getCause().getMessage(), e.toString()));
        } catch (IOException e) {
            throw CliException.input("cannot read trace " + file + ": " + GuestRunner.oneLine(e.getMessage(), e.toString()));
        }
    }
}
