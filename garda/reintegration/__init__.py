"""Reintegration after return (docs/reintegration.md).

On return a worker is assessed (economic situation, debts, skills, health, family,
vulnerability) and, within a month (IOM Reintegration Handbook), gets an individual
`Plan` of economic, social and health `Goal`s, each delivered directly or through a
referral to another agency (PP 59/2021 art. 22 lists the services). `FollowUp`s on a
schedule set as local policy (data/policy.toml; default 3, 6 and 12 months) carry the
sustainability survey, scored from a versioned `Instrument` loaded as data: questions,
answer codings and weights are never written in code.
"""
