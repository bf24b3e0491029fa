/* global window */
// The hub's OpenAPI document in Swagger UI, served by the hub itself: no page or script from elsewhere.
window.ui = window.SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#api', deepLinking: true, tryItOutEnabled: false });
