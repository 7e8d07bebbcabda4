"""Fetch tasks take groups of sources: few tasks, and one host never in two parallel tasks."""

from sample_warehouse import SAMPLE_SOURCES

from warehouse.fetchgroups import group


def test_sources_sharing_a_host_share_a_task_and_groups_are_balanced():
    hosts = {"a": frozenset({"x.gov.cn"}), "b": frozenset({"y.gov.cn"}), "c": frozenset({"x.gov.cn", "cdn.cn"}),
             "d": frozenset({"cdn.cn"}), **{f"local{i}": frozenset() for i in range(6)}}
    groups = group(hosts, max_groups=4)
    assert len(groups) == 4
    assert sorted(n for g in groups for n in g) == sorted(hosts)
    (xcd,) = [g for g in groups if "a" in g]
    assert {"a", "c", "d"} <= set(xcd)  # linked through x.gov.cn and cdn.cn
    assert max(map(len, groups)) - min(map(len, groups)) <= 2


def test_fewer_sources_than_groups_and_no_sources():
    assert group({"a": frozenset(), "b": frozenset()}, max_groups=8) == [["a"], ["b"]]
    assert group({}, max_groups=8) == []


def test_a_deployment_gets_two_fetch_tasks_per_slot_from_the_sample_catalogue():
    """The sample catalogue's local sources, grouped for the deployment the DAG's discover task runs on."""
    from pathlib import Path

    from fetching.catalogue import load_catalogue
    from warehouse.fetchgroups import MAX_GROUPS, group_sources
    from warehouse.slots import TASKS_PER_SLOT

    catalogue = Path(__file__).resolve().parents[1] / "samples" / "sources.yaml"
    names = [source.name for source in load_catalogue(catalogue).sources]
    assert len(names) == SAMPLE_SOURCES and not any(source.hosts for source in load_catalogue(catalogue).sources)
    for slots, tasks in [(None, MAX_GROUPS), (1, TASKS_PER_SLOT), (2, 2 * TASKS_PER_SLOT), (3, 6), (32, MAX_GROUPS)]:
        groups = group_sources(catalogue, names, slots)
        assert len(groups) == tasks, slots
        assert sorted(n for g in groups for n in g) == sorted(names)
        assert max(map(len, groups)) - min(map(len, groups)) <= 1  # local sources spread evenly
