"""Fetch tasks take groups of sources: few tasks, and one host never in two parallel tasks."""

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
