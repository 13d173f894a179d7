/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli.bench;

/** One reported figure, e.g. ("x86 VMX mix: ring bytes/exit", 9.8, "B"). */
public record Measurement(String benchmark, String metric, double value, String unit) {
}
