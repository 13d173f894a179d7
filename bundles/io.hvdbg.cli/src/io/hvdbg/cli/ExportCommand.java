/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.hvdbg.core.exit.export.ChromeTraceWriter;
import io.hvdbg.core.exit.export.CsvTraceWriter;
import io.hvdbg.cli.trace.TraceSource;

/**
 * {@code hvdbg export FILE --format json|csv [--output OUT]}: an exit trace (.hvtrace or a host
 * KVM text trace) to Perfetto/Chrome trace JSON or CSV, streamed to OUT or stdout.
 */
final class ExportCommand implements Command {
    @Override
    public int execute(List<String> args, Io io) throws CliException {
        Options o = Options.parse("export", args, Set.of(), Set.of("--format", "--output"), Set.of(), 1);
        if (o.positionals().isEmpty()) {
            throw CliException.usage("export", "missing trace FILE");
        }
        String format = o.required("--format").toLowerCase(Locale.ROOT);
        if (!format.equals("json") && !format.equals("csv")) {
            throw CliException.usage("export", "option --format must be json or csv, not '" + o.value("--format") + "'");
        }
        Path file = Path.of(o.positionals().get(0));
        String output = o.value("--output");
        // Recognise the input before creating the output, so a bad input leaves no empty file.
        StatsCommand.stream(file, (s, v, r, t, d, pc, q, i2, c) -> false);
        Path tmp = null;
        try {
            Writer w;
            if (output == null) {
                w = new BufferedWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), 1 << 16);
            } else {
                Path out = Path.of(output).toAbsolutePath();
                tmp = Files.createTempFile(out.getParent(), ".hvdbg-export", ".tmp");
                w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
            }
            TraceSource.Result result;
            if (format.equals("json")) {
                ChromeTraceWriter json = new ChromeTraceWriter(w, Map.of("input", file.getFileName().toString()));
                result = StatsCommand.stream(file, json);
                json.close();
            } else {
                CsvTraceWriter csv = new CsvTraceWriter(w);
                result = StatsCommand.stream(file, csv);
                csv.close();
            }
            w.flush();
            if (tmp != null) {
                w.close();
                Files.move(tmp, Path.of(output), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
            }
            io.err().print(TraceSource.describeImport(file, result, StatsCommand.SKIPPED_LINES_SHOWN));
            if (output != null) {
                io.err().println("wrote " + result.exits() + " exits to " + output);
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw CliException.failure("cannot write " + (output == null ? "the export" : output) + ": "
                    + GuestRunner.oneLine(e.getMessage(), e.toString()));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the export already failed
                }
            }
        }
    }
}
