"""Bad input at scale (issue 5, part 4): property-based tests that post random and hostile
data to every form and URL parameter of the assessments app as each role.

The properties (harness.exercise): the answer is never a server error, and nothing outside
the assessment the URL names changes; nor that one, for a role that may not change it.

    pytest tests/fuzz                                   # derandomized: the same examples in CI
    FUZZ_EXAMPLES=500 FUZZ_RANDOM=1 pytest tests/fuzz   # search further, new examples each run
    pytest tests/fuzz --hypothesis-show-statistics      # how far the examples get (status codes)
"""
