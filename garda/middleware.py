class NoStoreMiddleware:
    """Pages and API answers may carry personal data: never let a browser or proxy
    cache them. Static files are served before this by WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
