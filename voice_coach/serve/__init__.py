"""``voice-coach serve``: a local web app over the session store (see docs/serve.md).

* :mod:`~voice_coach.serve.security`: the token, Host, CSRF and upload-size rules (one
  middleware), the Content-Security-Policy.
* :mod:`~voice_coach.serve.app`: the Starlette app, guarded; errors as short answers.
* :mod:`~voice_coach.serve.routes`: archive, session page, notes, audio, bundles, compare,
  progress, static files.
* :mod:`~voice_coach.serve.practice`: practising in the browser.
* :mod:`~voice_coach.serve.pages`: the HTML, with every stored text escaped.

The scripts and the stylesheet live in ``voice_coach/data/serve``, served from our origin.
"""
