"""The inflection development protocol (benchmarks/inflection_protocol.py): task list, 2023 sampling and
loading, resumable result files, per-language report and "languages above the reference" counts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import inflection_protocol as proto  # noqa: E402


def test_all_tasks_and_2023_loading(shared_data):
    tasks = proto.all_tasks(shared_data, ["small", "large", "s700"])
    assert sum(t[0] == "2022" and t[2] == "small" for t in tasks) == 23
    assert sum(t[0] == "2022" and t[2] == "large" for t in tasks) == 10
    assert sum(t[0] == "2023" for t in tasks) == 23  # the 22 languages, heb twice (voc., unvoc.)
    assert set(proto.SCREEN) <= set(tasks) and len(proto.SCREEN) == 12
    task = proto.load_task(shared_data, "2023", "fin", "s700")
    assert len(task.train) == 700 and task.reference is None
    assert len(task.test) == len(task.gold) == 1000
    lemma, form, feats = task.train[0]
    assert ";" in feats and ";" not in form  # lemma<TAB>features<TAB>form read in the right order
    assert task.train == proto.load_task(shared_data, "2023", "fin", "s700").train  # seeded sample
    assert proto.load_task(shared_data, "2022", "got", "small").reference == 60.582


def test_sample_keeps_file_order():
    rows = [(str(i), str(i), "X") for i in range(5000)]
    sample = proto.sample_rows(rows, 700, 0)
    assert len(sample) == 700 and sample == sorted(sample, key=lambda r: int(r[0]))
    assert proto.sample_rows(rows[:10], 700, 0) == rows[:10]


def _record(task: str, seed: int, acc: float, ref: float | None, rules: float) -> dict:
    year, rest = task.split("/")
    return {"task": task, "year": year, "lang": rest.split("_")[0], "setting": rest.split("_")[1],
            "config": "default", "seed": seed, "minutes": 10.0, "train_rows": 700, "train_seconds": 500.0,
            "reference": ref, "rules": {"accuracy": rules}, "info": {"device": "cpu"},
            "variants": {"beam5+fb": {"accuracy": acc}, "greedy": {"accuracy": acc - 1}}}


def test_report_counts_and_resume(tmp_path):
    records = [_record("2022/got_small", 0, 62.0, 60.0, 40.0), _record("2022/got_small", 1, 60.0, 60.0, 40.0),
               _record("2022/heb_small", 0, 30.0, 40.0, 15.0), _record("2023/fin_s700", 0, 50.0, None, 45.0)]
    for r in records:
        path = proto.result_path(tmp_path, r["task"], r["config"], r["seed"], r["minutes"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(r), encoding="utf-8")
    loaded = proto.load_results(tmp_path, 10.0)
    assert len(loaded) == 4 and proto.load_results(tmp_path, 1.5) == []
    text = proto.report(loaded, "default", "beam5+fb")
    assert "2022/got_small\t700\t2\t61.00\t60.00-62.00\t60.00\tofficial\t+1.00" in text
    assert "2022 small: 2 tasks, macro 45.50 vs reference 50.00; above reference in 1/2; more than 3 points below in 1" in text
    assert "2023 s700: 1 tasks, macro 50.00 vs reference 45.00; above reference in 1/1" in text
    assert "better in 3, worse in 0" in proto.compare(loaded, ("default", "greedy"), ("default", "beam5+fb"))
    # resume: a run whose file exists is not redone (no training is attempted for it)
    made = proto.run_protocol(Path("/nonexistent"), tmp_path, [("2022", "got", "small")], ["default"], [0, 1],
                              10.0, 1, "cpu", ["greedy"], lambda line: None)
    assert made == 0


def test_compare_pairs_seeds():
    """A config run on fewer seeds is compared on the seeds both have, not against the other's mean over more."""
    def rec(config: str, seed: int, acc: float) -> dict:
        return {**_record("2022/gml_small", seed, acc, 42.0, 22.0), "config": config}

    records = [rec("a", 0, 60.0), rec("a", 1, 40.0), rec("a", 2, 40.0), rec("b", 0, 50.0)]
    text = proto.compare(records, ("a", "beam5+fb"), ("b", "beam5+fb"))
    assert "better in 0, worse in 1, same in 0 of 1 tasks (paired seeds: 1 task-seed runs); mean change -10.00" in text
    records.append({**_record("2022/heb_small", 0, 30.0, 40.0, 15.0), "config": "a"})  # b has no heb: left out
    assert "of 1 tasks" in proto.compare(records, ("a", "beam5+fb"), ("b", "beam5+fb"))
    rows = proto.compare(records, ("a", "beam5+fb"), ("b", "beam5+fb"), per_task=True).splitlines()
    assert rows[1] == "2022/gml_small\t0\t60.00\t50.00\t-10.00" and len(rows) == 3


def test_stand_in_counts_old_runs_only_where_the_configs_train_alike(shared_data, tmp_path):
    """`--stand-in charhall1k` for `charauto`: charhall1k's runs count as charauto's on tasks where its
    `auto_tag_parts` rule stays off (computed from the task files) and charauto has no run; slp (rule on) keeps only
    its own charauto runs, and a task where the rule is on and charauto never ran is left out, not stood in."""
    import subprocess

    recs = [{**_record(task, 0, acc, 40.0, 20.0), "config": config} for task, config, acc in (
        ("2022/got_small", "charhall1k", 56.0), ("2022/slp_small", "charhall1k", 8.9),
        ("2022/slp_small", "charauto", 36.7), ("2022/ang_small", "charhall1k", 52.0))]
    merged, stood = proto.stand_in(recs, "charauto", "charhall1k", {"2022/got_small", "2022/slp_small"})
    assert stood == ["2022/got_small"]
    auto = {r["task"]: r["variants"]["beam5+fb"]["accuracy"] for r in merged if r["config"] == "charauto"}
    assert auto == {"2022/got_small": 56.0, "2022/slp_small": 36.7}
    assert [r["stands_in_for"] for r in merged if r.get("stands_in_for")] == ["charhall1k"]

    for r in recs:
        path = proto.result_path(tmp_path, r["task"], r["config"], r["seed"], r["minutes"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(r), encoding="utf-8")
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_inflection.py"
    args = [sys.executable, str(script), "--report", "--configs", "charauto", "--variants", "beam5+fb",
            "--results", str(tmp_path), "--data", str(shared_data)]
    done = subprocess.run([*args, "--stand-in", "charhall1k"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("charhall1k stands in for charauto on 1 tasks (they train alike there); ")
    assert "charhall1k does not stand in where the automatic rules make them differ: 2022/ang_small, 2022/slp_small" \
        in done.stdout
    assert "2022/got_small\t700\t1\t56.00" in done.stdout and "2022/slp_small\t700\t1\t36.70" in done.stdout
    assert "2022/ang_small" not in done.stdout.split("\n", 1)[1]
    wrong = subprocess.run([*args, "--stand-in", "mix1"], capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and "mix1 does not train as charauto on any task" in wrong.stderr


def test_trained_options_resolve_both_automatic_rules(shared_data):
    """`markauto` (the default since session 30) trains Hebrew with marks kept on their letters (its plain alignment
    moves a mark in 156 training pairs), so `charmarks` trains it alike and `charauto` does not; Gothic has no
    combining marks and no composite-tag rule, so `charhall1k` trains it alike; Old English's tag rule is on."""
    heb, got, ang = (proto.load_task(shared_data, "2022", lang, "small") for lang in ("heb", "got", "ang"))
    assert proto.trained_options(heb, "markauto")["mark_clusters"] is True
    assert proto.trained_options(heb, "markauto") == proto.trained_options(heb, "charmarks")
    assert proto.trained_options(heb, "markauto") != proto.trained_options(heb, "charauto")
    assert proto.trained_options(got, "markauto") == proto.trained_options(got, "charhall1k")
    assert proto.trained_options(ang, "markauto")["tag_parts"] is True
    assert proto.trained_options(ang, "markauto") == proto.trained_options(ang, "charauto")
    assert proto.trained_options(ang, "markauto") != proto.trained_options(ang, "charhall1k")


def test_stand_in_chain_takes_the_first_config_that_trains_alike(shared_data, tmp_path):
    """`--stand-in charmarks,charauto,charhall1k` for `markauto`: Hebrew counts its charmarks run (not charhall1k's),
    Old English its charauto run (not charhall1k's: the tag rule), Gothic its charhall1k run; a task where markauto
    has its own run keeps it."""
    import subprocess

    recs = [{**_record(task, 0, acc, 40.0, 20.0), "config": config} for task, config, acc in (
        ("2022/heb_small", "charmarks", 35.8), ("2022/heb_small", "charhall1k", 34.0),
        ("2022/ang_small", "charauto", 53.8), ("2022/ang_small", "charhall1k", 52.0),
        ("2022/got_small", "charhall1k", 56.0), ("2022/gml_small", "markauto", 60.5),
        ("2022/gml_small", "charhall1k", 58.0))]
    for r in recs:
        path = proto.result_path(tmp_path, r["task"], r["config"], r["seed"], r["minutes"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(r), encoding="utf-8")
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_inflection.py"
    done = subprocess.run([sys.executable, str(script), "--report", "--configs", "markauto", "--variants", "beam5+fb",
                           "--results", str(tmp_path), "--data", str(shared_data),
                           "--stand-in", "charmarks,charauto,charhall1k"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("charmarks stands in for markauto on 1 tasks")
    assert lines[1].startswith("charauto stands in for markauto on 1 tasks")
    assert lines[2].startswith("charhall1k stands in for markauto on 1 tasks (they train alike there); ")
    assert lines[2].endswith("make them differ: 2022/ang_small, 2022/heb_small")
    for row in ("2022/heb_small\t700\t1\t35.80", "2022/ang_small\t700\t1\t53.80", "2022/got_small\t700\t1\t56.00",
                "2022/gml_small\t700\t1\t60.50"):
        assert row in done.stdout


def test_report_never_trains(tmp_path):
    """`--report` with `--protocol` prints the tables of what is there; it does not start the missing runs."""
    import subprocess

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_inflection.py"
    data = tmp_path / "no-data"  # training would need the task files: any attempt fails on this folder
    done = subprocess.run([sys.executable, str(script), "--protocol", "full", "--report", "--configs", "mix1",
                           "--langs", "got", "--settings", "small", "--data", str(data), "--results",
                           str(tmp_path / "results")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "new runs" not in done.stderr and "member" not in done.stderr
    assert "config mix1, variant" in done.stdout and not (tmp_path / "results").exists()
    members = subprocess.run([sys.executable, str(script), "--report", "--configs", "mix1", "--variants",
                              "member3:greedy", "--results", str(tmp_path)],
                             capture_output=True, text=True, timeout=120)
    assert members.returncode == 0 and "config mix1, variant member3:greedy" in members.stdout, members.stderr


def test_saved_models_reproduce_the_scores(shared_data, tmp_path):
    """`--save-models`: each trained model is saved beside its result file's name, and the loaded model
    decodes the test set to the same greedy accuracy the result file records."""
    from lexaug.inflection.neural import NeuralInflector

    results, models = tmp_path / "results", tmp_path / "models"
    made = proto.run_protocol(shared_data, results, [("2022", "ckt", "small")], ["default"], [0], 0.05, 1, "cpu",
                              ["greedy"], lambda line: None, models=models)
    assert made == 1
    record = json.loads(proto.result_path(results, "2022/ckt_small", "default", 0, 0.05).read_text("utf-8"))
    model = NeuralInflector.load(models / "2022" / "ckt_small" / "default_seed0_0.05m")
    model.beam = 1
    task = proto.load_task(shared_data, "2022", "ckt", "small")
    forms = [form for form, _ in model.predict_scored(task.test)]
    assert proto._score(task, forms)["accuracy"] == record["variants"]["greedy"]["accuracy"]
    # the fallback study reads the saved model: rules everywhere scores what the result file says they score
    import study_fallback

    row = study_fallback.study(models / "2022" / "ckt_small" / "default_seed0_0.05m", task)
    assert row["rules"]["test"] == record["rules"]["accuracy"]
    assert row["margin"]["value"] in study_fallback.MARGINS and row["threshold"]["value"] in study_fallback.THRESHOLDS
    assert all(0 <= row[k]["test"] <= 100 for k in ("none", "threshold", "margin"))


def test_the_mark_rule_turns_on_for_the_18_tasks_readme_names(shared_data):
    """README ("Combining marks copied with their letter"): of the 79 shared tasks the default keeps marks with their
    letters on 2022 small bra, guj, heb, mag, 2022 large heb, 2023 afb, arz, heb, klr, nav, san (700 rows and full)
    and 2023 bel in full, and on no other."""
    on = sorted(f"{y}/{lang}_{s}" for y, lang, s in proto.all_tasks(shared_data, ("small", "large", "s700", "full"))
                if proto.trained_options(proto.load_task(shared_data, y, lang, s), "markauto")["mark_clusters"])
    expected = [f"2022/{lang}_small" for lang in ("bra", "guj", "heb", "mag")] + ["2022/heb_large"]
    expected += [f"2023/{lang}_{s}" for lang in ("afb", "arz", "heb", "klr", "nav", "san") for s in ("full", "s700")]
    assert len(proto.all_tasks(shared_data, ("small", "large", "s700", "full"))) == 79
    assert on == sorted(expected + ["2023/bel_full"])
