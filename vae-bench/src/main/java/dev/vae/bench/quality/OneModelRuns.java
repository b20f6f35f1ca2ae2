package dev.vae.bench.quality;

import dev.vae.bench.LongOptions;
import dev.vae.core.data.Table;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * What the tools that derive many results from one trained model per run share ({@link ScoreVariants},
 * {@link ThresholdVariants}): one candidate, one model per (set, seed) of the suite's tabular sets, the runs in
 * parallel and reported in order, and the same command line.
 */
final class OneModelRuns {

    /** Trains one model of {@code candidate} for a (set, seed) and derives its results. */
    interface PerRun {
        /** The results of one (set, seed), in the tool's order. */
        List<RunResult> run(Candidate candidate, String set, Table train, Table test, int seed);
    }

    private OneModelRuns() {
    }

    /**
     * Refuses a candidate that trains several models ({@code ens=} or {@code mix=}).
     *
     * @throws IllegalArgumentException naming the tool and the candidate
     */
    static void requireOneModel(String tool, Candidate candidate) {
        if (candidate.ensemble() != 1 || !candidate.mixture().isEmpty()) {
            throw new IllegalArgumentException(tool + " derives its results from one model; candidate '"
                    + candidate.name() + "' trains several (ens= or mix=)");
        }
    }

    /**
     * Runs every (set, seed) of {@code plan} (its one candidate), {@link Suite.Plan#jobs()} at a time, and returns
     * the results ordered by set, seed and the tool's order, whatever order they finished in.
     *
     * @param progress where a line per finished (set, seed) goes
     * @throws IllegalArgumentException when the plan has images or more than one candidate
     */
    static List<RunResult> run(String tool, Suite.Plan plan, PerRun perRun, PrintStream progress) throws Exception {
        if (plan.candidates().size() != 1 || !plan.classes().isEmpty()) {
            throw new IllegalArgumentException(tool + " runs one candidate on tabular sets; the plan has "
                    + plan.candidates().size() + " candidates and " + plan.classes().size() + " image classes");
        }
        String spec = plan.candidates().get(0);
        List<Callable<List<RunResult>>> jobs = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        int total = plan.sets().size() * plan.seeds();
        for (String set : plan.sets()) {
            Suite.SetData data = Suite.readSet(plan, set);
            for (int s = 0; s < plan.seeds(); s++) {
                Table train = data.train(s);
                Table test = data.test(s);
                int seed = s;
                jobs.add(() -> {
                    List<RunResult> r = perRun.run(Candidate.parse(spec, train.width()), set, train, test, seed);
                    RunResult first = r.get(0);
                    progress.printf(Locale.ROOT, "[%d/%d] %s s%d: %s AUROC %.4f, F1 %.3f (%.1f s)%n",
                            done.incrementAndGet(), total, set, seed, first.candidate(), first.auroc(), first.f1(),
                            first.trainSeconds());
                    return r;
                });
            }
        }
        return Suite.inOrder(jobs, plan.jobs(), tool).stream().flatMap(List::stream).toList();
    }

    /**
     * A tool's command line: {@code [--candidate defaults] [--sets all] [--seeds 5] [--jobs 2] [--shared DIR]
     * [--heldout DIR] [--csv FILE]}. The summary goes to standard output, a line per finished (set, seed) to standard
     * error, every run to {@code --csv} when given.
     *
     * @throws Exception when an option is unknown, the candidate trains several models, a data file is missing or a
     *                   run fails
     */
    static void main(String tool, String[] args, PerRun perRun,
                     BiFunction<String, List<RunResult>, String> summary) throws Exception {
        Map<String, String> o = LongOptions.parse(args);
        Set<String> known = Set.of("candidate", "sets", "seeds", "jobs", "shared", "heldout", "csv");
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("Unknown option --" + k + " (expected one of " + known + ")");
            }
        }
        String spec = o.getOrDefault("candidate", Candidate.DEFAULTS);
        requireOneModel(tool, Candidate.parse(spec, 1));   // a bad spec fails here, before any data is read
        Suite.Plan plan = new Suite.Plan(List.of(spec), Suite.sets(o.getOrDefault("sets", "all")),
                Integer.parseInt(o.getOrDefault("seeds", "5")), Integer.parseInt(o.getOrDefault("jobs", "2")),
                List.of(), List.of(), 0, o.containsKey("shared") ? Paths.get(o.get("shared")) : Suite.sharedRoot(),
                o.containsKey("heldout") ? Paths.get(o.get("heldout")) : Suite.heldOutRoot());
        List<RunResult> runs;
        try {
            runs = run(tool, plan, perRun, System.err);
        } catch (Suite.PartialRuns e) {
            throw e.saveFinished(o.get("csv"), System.err);
        }
        System.out.print(summary.apply(spec, runs));
        if (o.containsKey("csv")) {
            RunResult.writeCsv(Paths.get(o.get("csv")), runs);
            System.out.println("Every run: " + o.get("csv") + " (report with Suite --from-csv)");
        }
    }
}
